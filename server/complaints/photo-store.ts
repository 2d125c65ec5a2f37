import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { ComplaintsConfig } from "../config.js";

/** Where complaint photos' bytes live; a directory here, an object store (COS/OSS/S3) can implement the same later. */
export interface PhotoStore {
  put(key: string, bytes: Buffer): Promise<void>;
  /** null when nothing is stored under the key */
  get(key: string): Promise<Buffer | null>;
  /** removes the bytes; no error when they are already gone */
  delete(key: string): Promise<void>;
}

// keys are made by newPhotoKey only; anything else is refused before it can name a path
const KEY = /^[0-9a-f]{2}\/[0-9a-f]{32}$/;

/** A fresh random key, `ab/ab…` (the first two hex digits spread the files over 256 folders). */
export function newPhotoKey(): string {
  const hex = randomBytes(16).toString("hex");
  return `${hex.slice(0, 2)}/${hex}`;
}

function checked(key: string): string {
  if (!KEY.test(key)) throw new Error(`not a photo key: ${JSON.stringify(key)}`);
  return key;
}

/** Photos as files under one directory, created on first use; a write lands under its key only once complete. */
export function directoryPhotoStore(root: string): PhotoStore {
  const base = resolve(root);
  const pathOf = (key: string) => join(base, checked(key));
  return {
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const partial = `${path}.${randomBytes(4).toString("hex")}.part`;
      try {
        await writeFile(partial, bytes, { flag: "wx" });
        await rename(partial, path);
      } catch (err) {
        await rm(partial, { force: true });
        throw err;
      }
    },
    async get(key) {
      try {
        return await readFile(pathOf(key));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw err;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}

const stores = new Map<string, PhotoStore>();

/** The photo store the configuration names (one per directory, shared by the app's requests). */
export function photoStoreOf(config: Pick<ComplaintsConfig, "photoDir">): PhotoStore {
  const dir = resolve(config.photoDir);
  let store = stores.get(dir);
  if (!store) {
    store = directoryPhotoStore(dir);
    stores.set(dir, store);
  }
  return store;
}
