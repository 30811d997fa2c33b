import { constants, deflateRawSync, deflateSync } from 'node:zlib';

/** zlib header (default compression), sent once at the start of a `zlib-stream` connection. */
const ZLIB_HEADER = Buffer.from([0x78, 0x9c]);

/**
 * Encodes gateway payloads the way the client asked for.
 *
 * discord.js only requests transport compression (`compress=zlib-stream`) when the optional
 * `zlib-sync` package is installed; without it, it sends plain JSON text and the emulator
 * must answer in kind. Both compression modes are supported so installing zlib-sync later
 * does not break the emulator:
 * - `zlib-stream`: one zlib stream for the whole connection, each message ending in a
 *   Z_SYNC_FLUSH marker. Every message is compressed on its own (raw deflate blocks without
 *   back-references into earlier messages), which is still a valid continuous stream.
 * - identify `compress: true`: each payload is a complete zlib stream of its own.
 */
export class PayloadEncoder {
  private headerSent = false;
  payloadCompression = false;

  constructor(private readonly streamCompression: boolean) {}

  encode(payload: object): string | Buffer {
    const json = JSON.stringify(payload);
    if (this.streamCompression) {
      const body = deflateRawSync(json, { finishFlush: constants.Z_SYNC_FLUSH });
      if (this.headerSent) return body;
      this.headerSent = true;
      return Buffer.concat([ZLIB_HEADER, body]);
    }
    return this.payloadCompression ? deflateSync(json) : json;
  }
}
