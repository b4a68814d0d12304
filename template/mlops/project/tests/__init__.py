"""Tests for {{ package_name }}."""
