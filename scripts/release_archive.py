#!/usr/bin/env python3
"""Pack the dayone binary of a wheel into the release archive for one target.

Usage: python3 scripts/release_archive.py WHEEL TARGET [--out DIR]

The archive is `dayone-VERSION-TARGET.tar.gz` (`.zip` for Windows targets) holding one folder with
the binary and README.md. The binary is taken out of the wheel, so an archive and a wheel of one
release carry the same bytes. Entries are sorted, owned by nobody and dated SOURCE_DATE_EPOCH (else
1980-01-01), so packing the same wheel twice gives the same archive.
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import re
import sys
import tarfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ZIP_EPOCH = 315532800  # 1980-01-01, the earliest date a zip entry can hold


def binary_of(wheel: Path) -> tuple[str, str, bytes]:
    """(version, file name, bytes) of the dayone binary a wheel carries in its scripts folder."""
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            found = re.fullmatch(r"dayone-([^/]+)\.data/scripts/(dayone(?:\.exe)?)", name)
            if found:
                return found.group(1), found.group(2), archive.read(name)
    raise SystemExit(f"error: {wheel} carries no dayone binary in dayone-VERSION.data/scripts/")


def archive_name(version: str, target: str) -> str:
    suffix = ".zip" if "windows" in target else ".tar.gz"
    return f"dayone-{version}-{target}{suffix}"


def make(wheel: Path, target: str, out: Path) -> Path:
    """Write the release archive for `target` into `out` and return its path."""
    version, exe, binary = binary_of(wheel)
    folder = f"dayone-{version}-{target}"
    members = [(f"{folder}/README.md", (REPO / "README.md").read_bytes(), 0o644), (f"{folder}/{exe}", binary, 0o755)]
    members.sort()
    epoch = max(int(os.environ.get("SOURCE_DATE_EPOCH", ZIP_EPOCH)), ZIP_EPOCH)
    out.mkdir(parents=True, exist_ok=True)
    path = out / archive_name(version, target)
    if path.suffix == ".zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data, mode in members:
                info = zipfile.ZipInfo(name, date_time=time.gmtime(epoch)[:6])
                info.external_attr = (0o100000 | mode) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
        return path
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        folder_info = tarfile.TarInfo(folder)
        folder_info.type, folder_info.mode, folder_info.mtime = tarfile.DIRTYPE, 0o755, epoch
        archive.addfile(folder_info)
        for name, data, mode in members:
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), mode, epoch
            archive.addfile(info, io.BytesIO(data))
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=epoch, filename="") as packed:
        packed.write(buffer.getvalue())
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wheel", type=Path)
    parser.add_argument("target", help="the Rust target triple the wheel was built for, e.g. x86_64-unknown-linux-musl")
    parser.add_argument(
        "--out", type=Path, default=Path("dist") / "archives", help="folder for the archive (dist/archives)"
    )
    args = parser.parse_args()
    print(make(args.wheel, args.target, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
