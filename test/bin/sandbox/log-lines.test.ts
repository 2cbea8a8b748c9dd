import { describe, expect, it } from 'vitest';
import { compactLogLine, compactLogStream } from '../../../bin/sandbox/log-lines.ts';

describe('compact sandbox log lines', () => {
  it('turns a logger line into time, level, message and the fields that say something', () => {
    // Prepare
    const line = JSON.stringify({
      level: 'WARN',
      message: 'order event refused',
      timestamp: '2026-11-23T10:00:01.234Z',
      service: 'switchboard-sandbox',
      sampling_rate: 0,
      cold_start: true,
      function_name: 'switchboard-order-events',
      reason: 'signature',
      detail: { field: 'order id' },
    });

    // Act
    const compact = compactLogLine(line);

    // Assess
    expect(compact).toBe(
      '10:00:01.234 WARN  order event refused reason=signature detail={"field":"order id"}',
    );
  });

  it('leaves other lines as they are', () => {
    // Act / Assess
    expect(compactLogLine('switchboard sandbox is up')).toBe('switchboard sandbox is up');
    expect(compactLogLine('{"not":"a log line"}')).toBe('{"not":"a log line"}');
    expect(compactLogLine('{broken')).toBe('{broken');
  });

  it('holds a line split across writes until its end arrives', () => {
    // Prepare
    const written: string[] = [];
    const write = compactLogStream((text) => written.push(text));
    const line = JSON.stringify({ level: 'INFO', message: 'm', timestamp: '2026-11-23T10:00:00.000Z' });

    // Act
    write(line.slice(0, 10));
    const afterFirst = written.length;
    write(`${line.slice(10)}\nnext`);

    // Assess
    expect(afterFirst).toBe(0);
    expect(written).toEqual(['10:00:00.000 INFO  m\n']);
  });
});
