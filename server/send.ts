import type { Request, Response } from 'express';

/** A stored form sent a part at a time: how many parts, and how to read one (undefined past the last). */
export interface Parts {
  parts: number;
  bytes: number;
  read: (seq: number) => Buffer | undefined;
}
/** What a response body is made of, in order: bytes at hand, or a stored form's parts. */
export type Piece = Buffer | Parts;

const sizeOf = (p: Piece) => (Buffer.isBuffer(p) ? p.length : p.bytes);

/** Resolves true when the response can take more, false when its connection closed first. */
function drained(res: Response): Promise<boolean> {
  return new Promise((resolve) => {
    const ok = () => {
      res.off('close', gone);
      resolve(true);
    };
    const gone = () => {
      res.off('drain', ok);
      resolve(false);
    };
    res.once('drain', ok);
    res.once('close', gone);
  });
}

/**
 * Send a body made of pieces without joining them: its `Content-Length` up front, then each piece —
 * a stored form one part per turn of the event loop, waiting while the client's socket is full — so
 * no response holds the loop or memory for a whole result however large it is (10 clients reading a
 * 44 MB result hold ≈ 10 parts of 256 KiB at a time). Resolves true once every byte was handed to
 * the socket; false when the client went away first (or a part vanished, which the caller's pin on
 * the run prevents: then the connection is cut rather than a short body sent as if whole).
 */
export async function sendPieces(req: Request, res: Response, pieces: Piece[]): Promise<boolean> {
  res.setHeader(
    'Content-Length',
    pieces.reduce((n, p) => n + sizeOf(p), 0),
  );
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  for (const p of pieces) {
    const chunks: Iterable<Buffer | undefined> = Buffer.isBuffer(p)
      ? [p]
      : (function* () {
          for (let seq = 0; seq < p.parts; seq++) yield p.read(seq);
        })();
    for (const chunk of chunks) {
      if (res.destroyed) return false;
      if (chunk === undefined) {
        res.destroy(new Error('a stored part vanished while it was being sent'));
        return false;
      }
      if (chunk.length === 0) continue;
      if (!res.write(chunk)) {
        if (!(await drained(res))) return false;
      } else if (!Buffer.isBuffer(p)) {
        // let other requests in between two parts of a large form
        await new Promise((r) => setImmediate(r));
      }
    }
  }
  res.end();
  return true;
}
