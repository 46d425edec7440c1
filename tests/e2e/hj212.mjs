// HJ 212 helpers for tests: the Appendix A CRC, frame building, and a device connection that
// collects what the platform sends, frame by frame.
import net from 'node:net';

export function crc(buf) {
  let r = 0xffff;
  for (const b of buf) {
    r = (r >> 8) ^ b;
    for (let i = 0; i < 8; i++) { const c = r & 1; r >>= 1; if (c) r ^= 0xa001; }
  }
  return r;
}

export function frame(data) {
  const d = Buffer.from(data);
  return Buffer.concat([Buffer.from(`##${String(d.length).padStart(4, '0')}`), d,
    Buffer.from(`${crc(d).toString(16).toUpperCase().padStart(4, '0')}\r\n`)]);
}

export function device(port) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let buf = '';
    const waiters = [];
    const replies = [];
    sock.on('data', (d) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        replies.push(buf.slice(0, i + 2));
        buf = buf.slice(i + 2);
        while (waiters.length && replies.length) waiters.shift()(replies.shift());
      }
    });
    sock.on('error', () => {});
    sock.on('connect', () => resolve({
      sock,
      send: (b) => sock.write(b),
      reply: (ms = 5000) => new Promise((res, rej) => {
        if (replies.length) return res(replies.shift());
        const w = (r) => { clearTimeout(t); res(r); };
        // A waiter that timed out leaves the queue, so a late reply goes to the next one.
        const t = setTimeout(() => { waiters.splice(waiters.indexOf(w), 1); rej(new Error('no reply')); }, ms);
        waiters.push(w);
      }),
      closed: new Promise((res) => sock.on('close', res)),
      close: () => sock.destroy(),
    }));
    sock.on('error', reject);
  });
}

// Poll fn until it returns a truthy value (or throw after ms). A loaded machine (two cores, the
// PostgreSQL suites, an ASan build) can take several times longer than a quiet one: the wait is
// at least 30 s, which costs nothing when the condition comes true sooner.
export async function until(fn, ms = 10000, what = 'condition') {
  const end = Date.now() + Math.max(ms, 30000);
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
