import { TableIndex, type TableColumnOptions } from "typeorm";

/** Column builders that mean the same on MySQL and SQLite, mirroring the entities' explicit types. */
export const col = {
  id: (): TableColumnOptions => ({ name: "id", type: "integer", isPrimary: true, isGenerated: true, generationStrategy: "increment" }),
  int: (name: string, nullable = false): TableColumnOptions => ({ name, type: "integer", isNullable: nullable }),
  varchar: (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: "varchar", length: String(length), isNullable: nullable }),
  text: (name: string): TableColumnOptions => ({ name, type: "text" }),
  bool: (name: string): TableColumnOptions => ({ name, type: "boolean" }),
  date: (name: string, nullable = false): TableColumnOptions => ({ name, type: "date", isNullable: nullable }),
  datetime: (name: string, nullable = false): TableColumnOptions => ({ name, type: "datetime", precision: 3, isNullable: nullable }),
};

export const unique = (name: string, columnNames: string[]) => new TableIndex({ name, columnNames, isUnique: true });
export const index = (name: string, columnNames: string[]) => new TableIndex({ name, columnNames });
