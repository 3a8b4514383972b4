"""The release as users get it (make test-dist, after make dist).

DIST names the unpacked release folder dist/preflight-<version>-linux-<arch>;
PREFLIGHT the debug binary it must agree with.
"""
import filecmp
import hashlib
import os
import re
import shutil
import subprocess
import tarfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIST = os.path.join(ROOT, os.environ.get("DIST", ""))
TARBALL = DIST + ".tar.gz"
NAME = os.path.basename(DIST)
DEBUG = os.path.join(ROOT, os.environ.get("PREFLIGHT", ".build/debug/preflight"))

# What a glibc system has: the C library and its parts, the dynamic loader,
# and GCC's libgcc_s (glibc itself loads it for unwinding).
C_RUNTIME = re.compile(r"^(libc|libm|libdl|libpthread|librt|libutil)\.so\.\d+$|^ld-linux[-\w.]*\.so\.\d+$|^libgcc_s\.so\.1$")


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


@pytest.fixture(scope="module", autouse=True)
def built():
    assert os.environ.get("DIST"), "run through make test-dist"
    assert os.path.isfile(TARBALL), TARBALL


def test_the_checksum_file_verifies_the_tarball():
    with open(TARBALL + ".sha256") as f:
        digest, name = f.read().split()
    assert name == NAME + ".tar.gz"
    with open(TARBALL, "rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == digest
    assert run(["sha256sum", "-c", NAME + ".tar.gz.sha256"], cwd=os.path.dirname(TARBALL)).returncode == 0


def test_the_tarball_holds_the_binary_docs_and_completions():
    with tarfile.open(TARBALL) as tar:
        names = sorted(tar.getnames())
        modes = {m.name: m.mode for m in tar.getmembers()}
    expected = [NAME] + [f"{NAME}/{p}" for p in [
        "LICENSE", "README.md", "THIRD-PARTY-NOTICES", "completions", "completions/_preflight",
        "completions/preflight.bash", "completions/preflight.fish", "preflight"]]
    assert names == expected
    assert modes[f"{NAME}/preflight"] & 0o111
    notices = open(os.path.join(DIST, "THIRD-PARTY-NOTICES")).read()
    for part in ["swift-argument-parser", "Yams", "hummingbird", "Swift runtime", "cmark", "gumbo"]:
        assert part in notices


def test_the_binary_needs_only_the_c_runtime():
    dynamic = run(["readelf", "-d", os.path.join(DIST, "preflight")]).stdout
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", dynamic)
    assert needed, dynamic
    assert [lib for lib in needed if not C_RUNTIME.match(lib)] == []
    sections = run(["readelf", "-S", os.path.join(DIST, "preflight")]).stdout
    assert ".symtab" not in sections, "the binary is stripped"


def test_version_names_the_commit_in_an_empty_environment():
    result = run(["env", "-i", os.path.join(DIST, "preflight"), "--version"])
    assert result.returncode == 0, result.stderr
    commit = run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT).stdout.strip()
    version = re.search(r'static let version = "(.+)"', open(os.path.join(ROOT, "Sources/preflight/Preflight.swift")).read())[1]
    assert result.stdout == f"{version} (commit {commit})\n"
    assert NAME == f"preflight-{version}-linux-{os.uname().machine}"


def test_it_builds_the_sample_site_as_the_debug_binary_does(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    for part in ["preflight.yml", "content", "catalog", "evidence", "static"]:
        source = os.path.join(ROOT, part)
        (shutil.copytree if os.path.isdir(source) else shutil.copy)(source, site / part)
    release = run(["env", "-i", os.path.join(DIST, "preflight"), "build", str(site), "--as-of", "2026-11-27",
                   "--output", str(tmp_path / "release")])
    assert release.returncode == 0, release.stderr
    debug = run([DEBUG, "build", str(site), "--as-of", "2026-11-27", "--output", str(tmp_path / "debug")])
    assert debug.returncode == 0, debug.stderr

    def differences(cmp):
        found = cmp.left_only + cmp.right_only + cmp.diff_files + cmp.funny_files
        for sub in cmp.subdirs.values():
            found += differences(sub)
        return found

    files = [os.path.relpath(os.path.join(d, f), tmp_path / "release")
             for d, _, fs in os.walk(tmp_path / "release") for f in fs]
    assert len(files) > 40
    # dircmp compares by stat first; compare every byte.
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "release", tmp_path / "debug", files, shallow=False)
    assert mismatch == [] and errors == []
    assert differences(filecmp.dircmp(tmp_path / "release", tmp_path / "debug")) == []


def test_completions_are_scripts_for_each_shell():
    completions = os.path.join(DIST, "completions")
    assert run(["bash", "-n", os.path.join(completions, "preflight.bash")]).returncode == 0
    assert open(os.path.join(completions, "_preflight")).read().startswith("#compdef preflight")
    assert "complete -c 'preflight'" in open(os.path.join(completions, "preflight.fish")).read()
    for name in os.listdir(completions):
        assert "diff" in open(os.path.join(completions, name)).read(), name


def test_make_install_puts_the_binary_and_completions_under_prefix(tmp_path):
    result = run(["make", "-s", "-o", "dist", "install", f"PREFIX={tmp_path}"], cwd=ROOT)
    assert result.returncode == 0, result.stderr
    installed = sorted(os.path.relpath(os.path.join(d, f), tmp_path) for d, _, fs in os.walk(tmp_path) for f in fs)
    assert installed == [
        "bin/preflight", "share/bash-completion/completions/preflight",
        "share/fish/vendor_completions.d/preflight.fish", "share/zsh/site-functions/_preflight"]
    assert run([str(tmp_path / "bin/preflight"), "--help"]).returncode == 0


def release_server(tmp_path, version):
    """A folder laid out as GitHub's release downloads: v<version>/<assets>."""
    folder = tmp_path / "releases" / f"v{version}"
    folder.mkdir(parents=True)
    shutil.copy(TARBALL, folder)
    shutil.copy(TARBALL + ".sha256", folder)
    return folder


def test_the_download_recipe_in_docs_ci_runs(tmp_path):
    guide = open(os.path.join(ROOT, "docs/ci.md")).read()
    recipe = re.search(r"In any shell:\n\n```sh\n(.*?)```", guide, re.S)[1]
    version = NAME.split("-")[1]
    releases = release_server(tmp_path, version).parent
    script = recipe.replace("https://github.com/YOUR-ORG/preflight/releases/download", f"file://{releases}")
    script = script.replace("cd /tmp", f"cd {tmp_path}").replace('"/tmp/', f'"{tmp_path}/')
    assert f"version={version}\n" in script, "the recipe names the current version"
    result = run(["sh", "-e", "-c", script])
    assert result.returncode == 0, result.stderr
    assert f"{NAME}.tar.gz: OK\n{version} (commit " in result.stdout


def install_env(tmp_path, releases):
    runner = tmp_path / "runner"
    runner.mkdir()
    (runner / "output").touch()
    return dict(os.environ, ACTION_PATH=ROOT, ACTION_REPOSITORY="example/preflight", RUNNER_OS="Linux",
                RUNNER_ARCH={"x86_64": "X64", "aarch64": "ARM64"}[os.uname().machine], RUNNER_TEMP=str(runner),
                GITHUB_OUTPUT=str(runner / "output"), GITHUB_PATH=str(runner / "path"),
                PREFLIGHT_DOWNLOAD_URL=f"file://{releases}")


def test_the_action_installs_the_release(tmp_path):
    version = NAME.split("-")[1]
    releases = release_server(tmp_path, version).parent
    env = install_env(tmp_path, releases)
    result = run(["bash", os.path.join(ROOT, "scripts/action-install")], env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert open(env["GITHUB_OUTPUT"]).read() == "source=false\n"
    path = open(env["GITHUB_PATH"]).read().strip()
    assert path == os.path.join(env["RUNNER_TEMP"], f"preflight-{version}", NAME)
    assert run([os.path.join(path, "preflight"), "--version"]).stdout.startswith(version)


def test_the_action_refuses_a_tarball_that_does_not_match_its_checksum(tmp_path):
    version = NAME.split("-")[1]
    folder = release_server(tmp_path, version)
    with open(folder / f"{NAME}.tar.gz", "ab") as f:
        f.write(b"tampered")
    env = install_env(tmp_path, folder.parent)
    result = run(["bash", os.path.join(ROOT, "scripts/action-install")], env=env)
    assert result.returncode == 1
    assert "does not match its SHA-256 file; not installing it" in result.stdout
    assert not os.path.exists(env["GITHUB_PATH"])
