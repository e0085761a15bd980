/**
 * Splits one line of POSIX shell into simple commands (arrays of words), as far as the manual's
 * examples need: quotes, backslash escapes, comments, `|`, `||`, `&&`, `;`, `&`, and redirections
 * (dropped with their target). No expansion, no subshells. Throws on an unterminated quote.
 */
export function shellCommands(line: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let dropNext = false;
  const endWord = (): void => {
    if (!inWord) return;
    if (dropNext) dropNext = false;
    else words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'" || c === '"') {
      const close = findClosingQuote(line, i);
      const body = line.slice(i + 1, close);
      word += c === '"' ? body.replace(/\\(["\\$`])/g, '$1') : body;
      inWord = true;
      i = close;
    } else if (c === '\\') {
      word += line[i + 1] ?? '';
      inWord = true;
      i++;
    } else if (c === ' ' || c === '\t') {
      endWord();
    } else if (c === '#' && !inWord) {
      break;
    } else if (c === '|' || c === ';' || c === '&') {
      // `2>&1` is a redirection, not a background `&`.
      if (c === '&' && line[i - 1] === '>') continue;
      endCommand();
      if (line[i + 1] === c) i++;
    } else if (c === '>' || c === '<') {
      // A descriptor number written before the operator (`2>`) belongs to it.
      if (inWord && /^\d+$/.test(word)) {
        word = '';
        inWord = false;
      }
      endWord();
      if (line[i + 1] === c) i++;
      if (line[i + 1] === '&') {
        i++;
        // `>&2`: the descriptor follows directly.
        while (/\d/.test(line[i + 1] ?? '')) i++;
      } else {
        dropNext = true;
      }
    } else {
      word += c;
      inWord = true;
    }
  }
  endCommand();
  return commands;
}

function findClosingQuote(line: string, open: number): number {
  const quote = line[open];
  for (let i = open + 1; i < line.length; i++) {
    if (quote === '"' && line[i] === '\\') i++;
    else if (line[i] === quote) return i;
  }
  throw new Error(`unterminated ${quote} quote in: ${line}`);
}
