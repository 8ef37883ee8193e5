import { describe, expect, it } from 'vitest';
import { portJavaSources } from '../../../codemods/port/java/index.ts';

const APP = 'package com.ex;\n@SpringBootApplication\npublic class App {}\n';

describe('port on broken input', () => {
  it('reports a Java syntax error as MIG_INPUT at its file:line instead of emitting invalid TypeScript', async () => {
    const broken = 'package com.ex;\n\npublic class Book {\n    private Long id;\n    p package com.ex;\n}\n';
    await expect(
      portJavaSources(
        'svc',
        new Map([
          ['src/main/java/com/ex/App.java', APP],
          ['src/main/java/com/ex/Book.java', broken],
        ]),
      ),
    ).rejects.toMatchObject({
      code: 'MIG_INPUT',
      location: { file: 'src/main/java/com/ex/Book.java', line: 5 },
    });
  });

  it('reports a repository whose entity is not in the service as MIG_INPUT at the repository', async () => {
    const repo =
      'package com.ex;\n\npublic interface BookRepository extends JpaRepository<Book, Long> {\n  boolean existsByTitle(String title);\n}\n';
    await expect(
      portJavaSources(
        'svc',
        new Map([
          ['src/main/java/com/ex/App.java', APP],
          ['src/main/java/com/ex/BookRepository.java', repo],
        ]),
      ),
    ).rejects.toMatchObject({
      code: 'MIG_INPUT',
      message: expect.stringContaining('BookRepository stores Book'),
      location: { file: 'src/main/java/com/ex/BookRepository.java', line: 3 },
    });
  });

  it('ports a file with old Mac (\\r) line ends: TODO comments stay comments and name the right line', async () => {
    const grader = [
      'package com.ex;',
      '@Service',
      'public class Grader {',
      '    public String grade(int score) {',
      '        String label = "none";',
      '        switch (score) {',
      '            case 1: label = "one"; break;',
      '            default: label = "many";',
      '        }',
      '        return label; // done\u2028label = null;',
      '    }',
      '}',
      '',
    ].join('\r');
    const ported = await portJavaSources(
      'svc',
      new Map([
        ['src/main/java/com/ex/App.java', APP],
        ['src/main/java/com/ex/Grader.java', grader],
      ]),
    );
    const text = ported.files.get('src/grader.ts') ?? '';
    expect(text).toContain('// switch (score) {');
    expect(text).toContain('//     case 1: label = "one"; break;');
    expect(text).toContain('(Grader.java:6)');
    expect(text).not.toMatch(/^\s*label = null;/m);
  });
});
