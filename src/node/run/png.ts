/** Small RGB images and grids of tiles, written as PNG with pngjs. */
import { PNG } from 'pngjs';

/** An RGB image, 3 bytes per pixel, row-major. */
export interface Rgb {
  width: number;
  height: number;
  data: Uint8Array;
}

export function blank(width: number, height: number, rgb: [number, number, number] = [255, 255, 255]): Rgb {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, i * 3);
  return { width, height, data };
}

/** Copies `src` into `dst` at (x, y), each source pixel as a scale × scale block. */
export function blit(dst: Rgb, src: Rgb, x: number, y: number, scale = 1): void {
  for (let r = 0; r < src.height * scale; r++) {
    for (let c = 0; c < src.width * scale; c++) {
      const si = (Math.floor(r / scale) * src.width + Math.floor(c / scale)) * 3;
      const di = ((y + r) * dst.width + (x + c)) * 3;
      dst.data[di] = src.data[si];
      dst.data[di + 1] = src.data[si + 1];
      dst.data[di + 2] = src.data[si + 2];
    }
  }
}

/** Tiles in a grid of `cols` columns with a `gap`-pixel white border, each scaled by `scale`. */
export function grid(tiles: readonly Rgb[], cols: number, scale = 1, gap = 2): Rgb {
  const tw = (tiles[0]?.width ?? 1) * scale;
  const th = (tiles[0]?.height ?? 1) * scale;
  const rows = Math.max(1, Math.ceil(tiles.length / cols));
  const out = blank(gap + cols * (tw + gap), gap + rows * (th + gap));
  tiles.forEach((t, i) => blit(out, t, gap + (i % cols) * (tw + gap), gap + Math.floor(i / cols) * (th + gap), scale));
  return out;
}

/** Images side by side, `gap` pixels apart, top-aligned. */
export function hstack(images: readonly Rgb[], gap = 8): Rgb {
  const width = images.reduce((s, im) => s + im.width, 0) + gap * Math.max(0, images.length - 1);
  const height = Math.max(...images.map((im) => im.height));
  const out = blank(width, height);
  let x = 0;
  for (const im of images) {
    blit(out, im, x, 0);
    x += im.width + gap;
  }
  return out;
}

/** PNG bytes of `img`. */
export function encodePng(img: Rgb): Buffer {
  const png = new PNG({ width: img.width, height: img.height });
  for (let i = 0; i < img.width * img.height; i++) {
    png.data[i * 4] = img.data[i * 3];
    png.data[i * 4 + 1] = img.data[i * 3 + 1];
    png.data[i * 4 + 2] = img.data[i * 3 + 2];
    png.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(png);
}
