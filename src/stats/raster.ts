import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphPixels } from './font.js';
import { encodePng } from './png.js';

export type Rgb = readonly [number, number, number];

/** An RGB pixel buffer with the two drawing operations a bar chart needs. */
export class Raster {
  private readonly pixels: Uint8Array;

  constructor(readonly width: number, readonly height: number, background: Rgb) {
    this.pixels = new Uint8Array(width * height * 3);
    this.rect(0, 0, width, height, background);
  }

  /** Fills a rectangle, clipped to the canvas. */
  rect(x: number, y: number, w: number, h: number, color: Rgb): void {
    const x0 = Math.max(0, Math.round(x)), y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w)), y1 = Math.min(this.height, Math.round(y + h));
    for (let py = y0; py < y1; py++) {
      for (let px = x0; px < x1; px++) this.pixels.set(color, (py * this.width + px) * 3);
    }
  }

  /** Writes text with its top-left corner at (x, y), each font pixel drawn `scale` × `scale`. */
  text(x: number, y: number, text: string, color: Rgb, scale = 2): void {
    [...text.toUpperCase()].forEach((ch, i) => {
      const left = x + i * (GLYPH_WIDTH + 1) * scale;
      for (const [gx, gy] of glyphPixels(ch)) this.rect(left + gx * scale, y + gy * scale, scale, scale, color);
    });
  }

  static textWidth(text: string, scale = 2): number {
    return text.length * (GLYPH_WIDTH + 1) * scale - scale;
  }

  static readonly textHeight = (scale = 2) => GLYPH_HEIGHT * scale;

  toPng(): Buffer {
    return encodePng(this.width, this.height, this.pixels);
  }
}
