"""
Build the AWS Lambda package of one Zappa stage.

    python3.11 deploy/package.py [--stage production] [--output dist/x.zip]

The package is Zappa's own (`zappa package`), made from a virtual environment
that holds only `requirements.txt` and from a copy of the project, so nothing
of a developer's checkout or `.venv` ships. Before Zappa zips them:

- only files git tracks are copied, so a stray local file never ships;
- compiled packages are replaced by wheels built for the glibc of Lambda's
  Amazon Linux 2, whatever this machine would have chosen;
- static files are collected into the copy, for WhiteNoise to serve;
- every module is compiled to bytecode that Python trusts without looking at
  the source (`unchecked-hash`): Lambda's code folder is read-only and its
  files carry no useful modification times, so bytecode that must be checked
  against the source is recompiled, in memory, on every cold start;
- once zipped, the dependencies keep their bytecode alone, each `.pyc` where
  its `.py` was (the only layout Python imports without the source), which
  keeps the zip small; the project's modules keep their sources, for tracebacks;
- the dependencies' bytecode is optimised as `python -OO` would (no
  docstrings, no `assert` statements), which takes a twentieth off the zip;
  the project's own modules keep both.

What ships and what not is decided in `zappa_settings.json` (`exclude` and
`exclude_glob`): runtime-provided boto3, Zappa's command-line tools, tests,
translations other than English and Spanish, Django apps Fichero does not
install, and the parts of pycryptodome that pypdf does not use (it needs the
AES cipher in its CBC and ECB modes and RC4 alone) stay out. So do the admin's
unminified scripts, which Django serves only in DEBUG, the Select2 translations
other than English and Spanish, and the browsable API's EOT, SVG and TTF fonts,
which current browsers pass over for the WOFF ones. WhiteNoise's gzip copies of
the static files ship, so that browsers get the admin's scripts compressed.
Deploy the result with `zappa deploy|update STAGE --zip dist/fichero-STAGE.zip`.
"""

import argparse
import importlib.util
import os
import py_compile
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
VENV_DIR = PROJECT_DIR / ".venv-package"
STAGE_DIR = PROJECT_DIR / "build" / "lambda"
PYTHON_VERSION = "3.11"
# Lambda's python3.11 runtime runs on Amazon Linux 2, whose glibc is 2.26.
LAMBDA_PLATFORMS = [
    *(f"manylinux_2_{minor}_x86_64" for minor in range(26, 4, -1)),
    "manylinux2014_x86_64",
    "manylinux2010_x86_64",
    "manylinux1_x86_64",
]
# Python's -OO: bytecode without docstrings and asserts, for dependencies only.
DEPENDENCY_OPTIMIZATION = 2
# Collecting static files reads the settings, which want nothing but these.
BUILD_ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_DEBUG": "true",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", default="production")
    parser.add_argument("--output", type=Path)
    arguments = parser.parse_args()
    output = (
        arguments.output or PROJECT_DIR / "dist" / f"fichero-{arguments.stage}.zip"
    ).resolve()

    package = build_package(stage=arguments.stage, output=output)

    size = package.stat().st_size
    with zipfile.ZipFile(package) as archive:
        unpacked = sum(entry.file_size for entry in archive.infolist())
    print(
        f"Lambda package {package}: "
        f"{size / 1e6:.1f} MB zipped, {unpacked / 1e6:.1f} MB unpacked"
    )


def build_package(*, stage, output):
    """Build the zip of `stage` at `output` and return its path."""
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"Build the package with Python {PYTHON_VERSION}, Lambda's runtime.")

    site_packages = create_virtual_environment()
    copy_project()
    collect_static_files()
    compile_bytecode(site_packages, optimization=DEPENDENCY_OPTIMIZATION)
    compile_bytecode(STAGE_DIR)

    output.parent.mkdir(parents=True, exist_ok=True)
    output.unlink(missing_ok=True)
    run(
        [VENV_DIR / "bin" / "zappa", "package", stage, "--output", output],
        cwd=STAGE_DIR,
        env={**os.environ, "VIRTUAL_ENV": str(VENV_DIR)},
    )
    compile_zappa_modules(output)
    drop_dependency_sources(output)
    return output


def create_virtual_environment():
    """A fresh environment with `requirements.txt`; return its site-packages."""
    shutil.rmtree(VENV_DIR, ignore_errors=True)
    run([sys.executable, "-m", "venv", VENV_DIR])
    pip = [
        VENV_DIR / "bin" / "python",
        "-m",
        "pip",
        "--quiet",
        "--disable-pip-version-check",
    ]
    run([*pip, "install", "--upgrade", "pip"])
    run([*pip, "install", "--requirement", PROJECT_DIR / "requirements.txt"])

    site_packages = VENV_DIR / "lib" / f"python{PYTHON_VERSION}" / "site-packages"
    compiled = compiled_distributions(site_packages)
    platforms = [option for name in LAMBDA_PLATFORMS for option in ("--platform", name)]
    run(
        [
            *pip,
            "install",
            "--no-deps",
            "--upgrade",
            "--only-binary=:all:",
            *platforms,
            "--implementation=cp",
            f"--python-version={PYTHON_VERSION}",
            "--target",
            site_packages,
            *compiled,
        ]
    )
    return site_packages


def compiled_distributions(site_packages):
    """`name==version` of every installed distribution that carries binaries."""
    pinned = []
    for wheel in sorted(site_packages.glob("*.dist-info/WHEEL")):
        if "Root-Is-Purelib: false" in wheel.read_text():
            name, version = wheel.parent.name.removesuffix(".dist-info").split("-")
            pinned.append(f"{name}=={version}")
    return pinned


def tracked_files():
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "-z"],
        cwd=PROJECT_DIR,
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return list(filter(None, listed.split("\0")))


def copy_project():
    """Copy the files git tracks, as they are in the working tree."""
    shutil.rmtree(STAGE_DIR, ignore_errors=True)
    for name in tracked_files():
        source = PROJECT_DIR / name
        if source.is_file():
            target = STAGE_DIR / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def collect_static_files():
    run(
        [
            VENV_DIR / "bin" / "python",
            "manage.py",
            "collectstatic",
            "--no-input",
            "-v",
            "0",
        ],
        cwd=STAGE_DIR,
        env={**os.environ, **BUILD_ENVIRONMENT},
    )


def compile_bytecode(folder, *, optimization=0):
    run(
        [
            VENV_DIR / "bin" / "python",
            "-m",
            "compileall",
            "-q",
            "-f",
            "-j",
            "0",
            "-o",
            optimization,
            "--invalidation-mode",
            "unchecked-hash",
            folder,
        ]
    )


def compile_zappa_modules(package):
    """
    Add bytecode for the modules Zappa writes into the zip itself.

    Its handler, the stage's settings module and the empty `__init__.py` it
    puts in folders of bytecode are added after the project is compiled;
    without this they would be compiled on every cold start.
    """
    with zipfile.ZipFile(package, "a", zipfile.ZIP_DEFLATED) as archive:
        names = set(archive.namelist())
        missing = {
            module: cached_name(module)
            for module in names
            if module.endswith(".py") and cached_name(module) not in names
        }
        with tempfile.TemporaryDirectory() as folder:
            for module, cached in sorted(missing.items()):
                source = Path(folder) / module
                source.parent.mkdir(parents=True, exist_ok=True)
                source.write_bytes(archive.read(module))
                py_compile.compile(
                    source,
                    cfile=Path(folder) / cached,
                    doraise=True,
                    invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
                )
                archive.write(Path(folder) / cached, cached)


def drop_dependency_sources(package):
    """
    Replace each dependency's `.py` and its `__pycache__` bytecode in the zip
    by its bytecode alone, at `module.pyc`: the optimised bytecode, or the
    plain one for the empty `__init__.py` files Zappa adds.

    Python ignores bytecode in `__pycache__` whose source is missing, but
    imports a `.pyc` that stands where the source would, whatever its
    optimisation. Their tracebacks show no source lines; the project's own
    folders keep theirs.
    """
    project_folders = {name.split("/")[0] for name in tracked_files() if "/" in name}
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
        bytecode_of = {
            name: bytecode
            for name in names
            if name.endswith(".py")
            and name.split("/")[0] not in project_folders | {name}
            and (bytecode := dependency_bytecode(name, names))
        }
        moved = {bytecode: f"{source}c" for source, bytecode in bytecode_of.items()}
        # Plain bytecode pip compiled at install time goes too.
        replaced = {
            *bytecode_of,
            *(cached_name(source) for source in bytecode_of),
        } - moved.keys()

        stripped = package.with_suffix(".stripped.zip")
        with zipfile.ZipFile(stripped, "w", zipfile.ZIP_DEFLATED) as target:
            for entry in archive.infolist():
                if entry.filename in replaced:
                    continue
                content = archive.read(entry)
                entry.filename = moved.get(entry.filename, entry.filename)
                target.writestr(entry, content)
    stripped.replace(package)


def dependency_bytecode(module, names):
    """The best bytecode of `module` among `names`, if any."""
    for optimization in (DEPENDENCY_OPTIMIZATION, 0):
        if (bytecode := cached_name(module, optimization)) in names:
            return bytecode
    return None


def cached_name(module, optimization=0):
    """Where Python keeps the bytecode of `module`, a path in the zip."""
    return importlib.util.cache_from_source(module, optimization=optimization or "")


def run(command, **options):
    subprocess.run([str(part) for part in command], check=True, **options)


if __name__ == "__main__":
    main()
