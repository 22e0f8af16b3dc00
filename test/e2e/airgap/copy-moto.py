"""Copies moto and the Python packages it needs for S3, IAM and STS from this machine's Python into a folder
(the LocalStack stand-in's image adds it to Debian's python3). Usage: python3 copy-moto.py <folder>"""

import importlib.metadata as md
import re
import shutil
import sys
from pathlib import Path

from packaging.requirements import Requirement

target = Path(sys.argv[1])
wanted, seen = [("moto", {"s3"}), ("flask", set()), ("flask-cors", set())], set()
while wanted:
    name, extras = wanted.pop()
    key = re.sub(r"[-_.]+", "-", name).lower()
    if key in seen:
        continue
    seen.add(key)
    dist = md.distribution(name)
    for line in dist.requires or []:
        req = Requirement(line)
        if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in extras or {""}):
            wanted.append((req.name, set(req.extras)))
    for file in dist.files or []:
        source = Path(dist.locate_file(file))
        if source.is_file() and "__pycache__" not in file.parts and not str(file).startswith(".."):
            (target / file).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / file)
print(f"copied {len(seen)} distributions: {', '.join(sorted(seen))}")
