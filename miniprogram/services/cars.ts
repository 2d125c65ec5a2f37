import { request } from "./request";

export interface Car {
  id: number;
  kind: "car" | "appliance";
  plate: string;
  vinLast6: string | null;
  model: string;
  purchaseDate: string | null;
  /** km */
  mileage: number;
  archiveNo: string | null;
  lastServiceAt: string | null;
  /** next maintenance, whichever comes first */
  nextDueDate: string | null;
  nextDueMileage: number | null;
}

export interface CarFields {
  plate: string;
  model: string;
  vinLast6?: string;
  purchaseDate?: string;
  mileage?: number;
}

export interface ServiceRecord {
  id: number;
  bookingId: number;
  storeId: number;
  items: { name: string; kind: "labour" | "part"; amountFen: number; quantity: number }[];
  partsFen: number;
  labourFen: number;
  discountFen: number;
  amountFen: number;
  mileage: number;
  pointsEarned: number;
  completedAt: string;
  rating: number | null;
}

export function fetchCars(): Promise<Car[]> {
  return request<Car[]>("/api/v1/me/assets");
}

export function fetchCar(id: number): Promise<Car> {
  return request<Car>(`/api/v1/me/assets/${id}`, { toast: false });
}

/** Adds a car (and opens its archive); the server checks the plate again and has the last word. */
export function addCar(fields: CarFields): Promise<Car> {
  return request<Car>("/api/v1/me/assets", { method: "POST", data: { kind: "car", ...fields }, action: `add-car:${fields.plate}`, toast: false });
}

export function updateCar(id: number, fields: Partial<CarFields>): Promise<Car> {
  return request<Car>(`/api/v1/me/assets/${id}`, { method: "PATCH", data: fields, toast: false });
}

/** Removes the car from the member's list; its archive and history stay on the server. */
export function removeCar(id: number): Promise<void> {
  return request<void>(`/api/v1/me/assets/${id}`, { method: "DELETE" });
}

/** The car's service history, newest first. */
export function fetchServiceRecords(assetId: number): Promise<ServiceRecord[]> {
  return request<ServiceRecord[]>(`/api/v1/me/assets/${assetId}/records`, { toast: false });
}

/** "2027-01-15 前或行驶至 35000 公里（以先到者为准）", or "" without a plan. */
export function dueText(car: Pick<Car, "nextDueDate" | "nextDueMileage">): string {
  const parts = [car.nextDueDate ? `${car.nextDueDate} 前` : "", car.nextDueMileage ? `行驶至 ${car.nextDueMileage} 公里` : ""].filter(Boolean);
  return parts.length === 2 ? `${parts.join("或")}（以先到者为准）` : parts.join("");
}
