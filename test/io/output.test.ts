/** Output.complete: the one way commands write — closed on success, nothing left behind on failure. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Output } from '../../src/io/output';

describe('Output.complete', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'output-'));
  const stdout = { write: () => true, on: () => undefined, off: () => undefined };

  test('success: the file holds what was written, no temporary file remains', async () => {
    const target = path.join(dir, 'ok.csv');
    const out = Output.open(target, null, { stdout });
    await out.complete(() => out.write('a,b\n1,2\n'));
    expect(fs.readFileSync(target, 'utf8')).toBe('a,b\n1,2\n');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('failure part-way: the error goes on, no target and no temporary file are left', async () => {
    const target = path.join(dir, 'failed.csv');
    const out = Output.open(target, null, { stdout });
    await expect(
      out.complete(async () => {
        out.write('a,b\n');
        await out.flush(true);
        throw new Error('bad row');
      }),
    ).rejects.toThrow('bad row');
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.failed.csv'))).toEqual([]);
  });
});
