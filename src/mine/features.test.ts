import { describe, expect, it } from 'vitest';
import { cosine, readPrompt, slotsOf, vectorize } from './features.js';

const vec = (text: string) => {
  const reading = readPrompt(text);
  if (!reading.ok) throw new Error(`unreadable: ${text}`);
  return vectorize(reading.text);
};

describe('slotsOf', () => {
  it('reads the kinds of values a request carries, whatever language is around them', () => {
    expect(slotsOf('verslag van de tocht bij Zandvoort: 31 km en 120 m hoogte')).toEqual(['length', 'length']);
    expect(slotsOf('resoconto del giro: 14 mi, 900 ft di salita')).toEqual(['length', 'length']);
    expect(slotsOf('notes de version pour la PR 77 et le ticket #81')).toEqual(['ref', 'ref']);
    expect(slotsOf('upgrade to v2.4.1, it took 3 hours and 40% more memory')).toEqual(['version', 'duration', 'percent']);
  });

  it('takes no slot from a number without a unit it knows, an address or a word that only starts with digits', () => {
    expect(slotsOf('top 5 customers by revenue')).toEqual([]);
    expect(slotsOf('ECONNREFUSED 127.0.0.1:5432')).toEqual([]);
    expect(slotsOf('the 3rd attempt at 2fa')).toEqual([]);
  });
});

describe('vectorize with slots', () => {
  it('brings instances of one request closer when they carry the same kinds of values, at other places', () => {
    const a = 'Tourenbuch, Eintrag für Grauwacke Alm: 14 miles und 900 feet Anstieg';
    const b = 'relato de la salida por Punta Roja, 8 miles y 2300 feet de subida';
    const withSlots = cosine(vec(a), vec(b));
    const without = cosine(vec(a.replace(/\d+ (miles|feet)/g, '$1')), vec(b.replace(/\d+ (miles|feet)/g, '$1')));
    expect(withSlots).toBeGreaterThan(without + 0.2);
  });

  it('gives a single value no more weight than a word: one shared slot is no task', () => {
    const a = vec('bump lodash to 4.17.21');
    const b = vec('I need a regex for semver strings like 1.2.3');
    expect(cosine(a, b)).toBeLessThan(0.3);
  });
});
