import { PHOTOS_PER_MESSAGE, uploadComplaintPhoto } from "../../services/complaints";

/** A photo the member added: the local file shown as a thumbnail and the id the server gave it. */
export interface PickedPhoto {
  path: string;
  id: number;
}

/** Lets the member pick up to the photos still allowed (album or camera) and uploads each; resolves with the uploaded ones. */
export async function pickAndUpload(already: number): Promise<PickedPhoto[]> {
  const count = PHOTOS_PER_MESSAGE - already;
  if (count <= 0) return [];
  const paths = await new Promise<string[]>((resolve) =>
    wx.chooseMedia({
      count,
      mediaType: ["image"],
      sourceType: ["album", "camera"],
      sizeType: ["compressed"],
      success: (res) => resolve(res.tempFiles.map((f) => f.tempFilePath)),
      fail: () => resolve([]), // the member closed the picker
    }),
  );
  const uploaded: PickedPhoto[] = [];
  for (const path of paths.slice(0, count)) {
    try {
      uploaded.push({ path, id: (await uploadComplaintPhoto(path)).id });
    } catch {
      // the server's reason (type, size) was shown as a toast; the other photos still count
    }
  }
  return uploaded;
}
