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
});
