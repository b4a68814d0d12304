#!/bin/sh
echo ws
