import { randomInt } from "node:crypto";

// No 0/O, 1/I/L: staff type the code when a scanner is not at hand.
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/** A random code of the given length from an unambiguous alphabet (31^10 ≈ 8·10^14 for the member card). */
export function randomCode(length: number): string {
  let code = "";
  for (let i = 0; i < length; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

export const newMemberCode = () => randomCode(10);
