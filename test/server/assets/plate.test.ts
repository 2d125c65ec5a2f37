import { describe, expect, it } from "vitest";
import { isValidPlate, normalizePlate } from "../../../server/assets/plate.js";

describe("Chinese licence plates", () => {
  it.each(["粤B12345", "京A1234学", "沪AD12345", "沪ADA1234", "苏E12345D", "粤Z1234港", "川A12B34"])("accepts %s", (plate) => {
    expect(isValidPlate(plate)).toBe(true);
  });

  it.each(["B12345", "粤B1234", "粤B123456", "粤BO1234", "XX12345", "粤B12345X9", "沪A12345Z"])("rejects %s", (plate) => {
    expect(isValidPlate(plate)).toBe(false);
  });

  it("normalizes what people type: spaces, the middle dot, lower case", () => {
    expect(normalizePlate(" 粤b·123 45 ")).toBe("粤B12345");
  });
});
