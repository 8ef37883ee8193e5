import { describe, expect, it } from 'vitest';
import { extractJavaFacts } from '../../../analyzer/languages/java/extract.ts';
import { getJavaParser } from '../../../analyzer/languages/java/parser.ts';
import { portJavaSources } from '../../../codemods/port/java/index.ts';

const GARBAGE = `${'- '.repeat(1500)}x\n${'{a: '.repeat(800)}1\nclass A {}\n`;
const SERVICE = 'package com.ex;\n@Service\npublic class Prices {\n  public int price() { return 1; }\n}\n';

describe('tree-sitter work budget', () => {
  it('stops on deeply nested garbage with a located finding, and the next file parses from scratch', async () => {
    const parser = await getJavaParser();
    const garbage = extractJavaFacts(parser, GARBAGE);
    expect(garbage.errors).toEqual([
      { line: 1, column: 1, excerpt: '(file too irregular to parse; not analyzed)' },
    ]);
    const next = extractJavaFacts(parser, SERVICE);
    expect(next.errors).toEqual([]);
    expect(next.classes.map((c) => c.name)).toEqual(['Prices']);
  });

  it('port reports such a file as MIG_INPUT at its first line', async () => {
    await expect(
      portJavaSources('svc', new Map([['src/main/java/com/ex/A.java', GARBAGE]])),
    ).rejects.toMatchObject({
      code: 'MIG_INPUT',
      location: { file: 'src/main/java/com/ex/A.java', line: 1 },
    });
  });
});
