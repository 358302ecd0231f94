// The name matcher: spellings a clerk may hear, joined and split words, dropped names, father-name narrowing.
import { describe, expect, it } from 'vitest';
import {
  jaroWinkler,
  nameIndexKeys,
  nameParts,
  nameQueryKeys,
  nameQueryTiers,
  normalizeName,
  phoneticKey,
  scoreName,
  scorePerson,
  splitFatherName,
} from '../../shared/domain/names.ts';
import { formatApplicationReference, parseApplicationReference } from '../../shared/search-schemas.ts';

/** A query finds the person when some partition it reads is one the name was indexed under. */
const meets = (indexed: string, query: string) => {
  const keys = new Set(nameIndexKeys(indexed));
  return nameQueryKeys(query).some((key) => keys.has(key));
};

describe('the spellings the issue lists', () => {
  const SAME: readonly [string, string][] = [
    ['Muhammad Akbar', 'Mohammad Akbar'],
    ['Muhammad Akbar', 'Mohammed Akbar'],
    ['Muhammad Akbar', 'Mohd Akbar'],
    ['Muhammad Akbar', 'Muhammed Akbar'],
    ['Abdul Wahid', 'Abdul-Wahid'],
    ['Abdul Wahid', 'Abdool Wahid'],
    ['Abdul Wahid', 'Abdulwahid'],
    ['Abdul Wahid', 'Abdul Waheed'],
    ['Hafeezullah', 'Hafizullah'],
    ['Hafeezullah', 'Hafiz Ullah'],
    ['Hafeezullah', 'Hafeez-ullah'],
    ['Hafeezullah', 'Hafizulla'],
    ['Ghulam Nabi', 'Gulam Nabi'],
    ['Khuda Bakhsh', 'Khuda Baksh'],
    ['Khuda Bakhsh', 'Khuda Bux'],
    ['Khuda Bakhsh', 'Khudabux'],
    ['Gul Khan Tareen', 'Gul Khan Tarin'],
    ['Yaqoob Kakar', 'Yakub Kakar'],
    ['Yousaf Rind', 'Yusuf Rind'],
    ['Hussain Notezai', 'Husain Notezai'],
    ['Zia ul Haq', 'Ziaulhaq'],
    ['Salah ud Din', 'Salahuddin'],
    ['Abdur Rehman', 'Abdul Rahman'],
    ['Abdur Rehman', 'Abdurrahman'],
    ['Essa Baloch', 'Isa Baluch'],
  ];
  for (const [written, heard] of SAME) {
    it(`scores "${heard}" as "${written}" and finds it through the index`, () => {
      expect(scoreName(heard, written)).toBeGreaterThanOrEqual(0.95);
      expect(meets(written, `${heard} Sanjrani`) || meets(`${written} Sanjrani`, `${heard} Sanjrani`)).toBe(
        true,
      );
    });
  }

  it('reads capitals, diacritics and stray punctuation as plain letters', () => {
    expect(normalizeName('  MUHAMMAD  Hāfīz-Ullah, TAREEN. ')).toBe('muhammad hafiz ullah tareen');
    expect(scoreName('MOHD HAFIZ ULLAH TARIN', 'Muhammad Hafeezullah Tareen')).toBe(1);
  });
});

describe('parts', () => {
  it('rejoins Abdul and its name, and -ullah and -uddin with the part before', () => {
    expect(nameParts('Abdool Wahid').map((p) => p.text)).toEqual(['abdulwaheed']);
    expect(nameParts('Hafiz Ullah Tarin').map((p) => p.text)).toEqual(['hafeezullah', 'tareen']);
    expect(nameParts('Salah ud Din').map((p) => p.text)).toEqual(['salahuddin']);
  });

  it('keeps titles but gives them a quarter of a part and no index key', () => {
    const [haji] = nameParts('Haji Gul Khan');
    expect(haji).toMatchObject({ text: 'haji', honorific: true, weight: 0.25 });
    expect(nameIndexKeys('Haji Gul Khan')).toEqual(nameIndexKeys('Gul Khan'));
  });

  it('gives a common part half the weight of a distinctive one', () => {
    const [muhammad, hassan] = nameParts('Muhammad Hassan');
    expect(muhammad?.weight).toBe(0.5);
    expect(hassan?.weight).toBe(1);
  });
});

describe('phonetic key', () => {
  it('is a consonant skeleton: vowels, h, doubled letters and the q/k, kh/k, v/w confusions fold away', () => {
    expect(phoneticKey('hafeezullah')).toBe(phoneticKey('hafizulla'));
    expect(phoneticKey('qasim')).toBe(phoneticKey('kasim'));
    expect(phoneticKey('naveed')).toBe(phoneticKey('naweed'));
    expect(phoneticKey('khalid')).toBe(phoneticKey('kalid'));
    expect(phoneticKey('umar')).toBe(phoneticKey('omar'));
  });

  it('keeps names apart that sound apart', () => {
    expect(phoneticKey('rind')).not.toBe(phoneticKey('marri'));
    expect(phoneticKey('hamid')).not.toBe(phoneticKey('ahmad'));
  });

  it('lets a shared key raise a part less than the right spelling does (Hassan and Hussain share HSN)', () => {
    expect(scoreName('Hassan Rind', 'Hussain Rind')).toBeLessThan(scoreName('Hassan Rind', 'Hasan Rind'));
  });
});

describe('Jaro-Winkler', () => {
  it('gives the textbook values', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.813, 3);
    expect(jaroWinkler('abc', 'abc')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
  });
});

describe('scoring', () => {
  it('costs a dropped middle name little and a wrong name a lot', () => {
    const dropped = scoreName('Hassan Rind', 'Muhammad Hassan Rind');
    const wrong = scoreName('Hassan Marri', 'Muhammad Hassan Rind');
    expect(dropped).toBeGreaterThan(0.85);
    expect(wrong).toBeLessThan(0.6);
  });

  it('takes the parts in any order', () => {
    expect(scoreName('Tareen Hafeezullah', 'Hafeezullah Tareen')).toBe(1);
  });

  it('matches two words joined or split where no rule knows the compound', () => {
    expect(scoreName('Sherali Khan', 'Sher Ali Khan')).toBeGreaterThan(0.95);
    expect(scoreName('Gul Muhammad Kakar', 'Gulmuhammad Kakar')).toBeGreaterThan(0.95);
    expect(meets('Sher Ali Khan Kakar', 'Sherali Kakar')).toBe(true);
  });

  it('ranks the person written as heard above a namesake with another tribe', () => {
    const person = scoreName('Mohd Hafiz Ullah Tarin', 'Muhammad Hafeezullah Tareen');
    const namesake = scoreName('Mohd Hafiz Ullah Tarin', 'Muhammad Hafeezullah Kakar');
    expect(person).toBeGreaterThan(namesake);
  });

  it('narrows by the father’s name, spelled as heard, and drops a father who does not match', () => {
    const candidate = { name: 'Abdul Wahid Rind', fatherName: 'Ghulam Rasool Rind' };
    expect(scorePerson({ name: 'Abdool Wahid Rind', fatherName: 'Gulam Rasul' }, candidate)).toBeGreaterThan(
      0.9,
    );
    expect(scorePerson({ name: 'Abdool Wahid', fatherName: 'Dost Muhammad' }, candidate)).toBeUndefined();
  });

  it('reads a father written into the query after s/o', () => {
    expect(splitFatherName('Abdul Wahid s/o Ghulam Rasool')).toEqual({
      name: 'Abdul Wahid',
      fatherName: 'Ghulam Rasool',
    });
    expect(splitFatherName('Noor Bibi D/O Karim Dad').fatherName).toBe('Karim Dad');
    expect(splitFatherName('Abdul Wahid')).toEqual({ name: 'Abdul Wahid' });
  });
});

describe('index keys', () => {
  it('finds a person by any two of their parts, with a middle name dropped', () => {
    expect(meets('Muhammad Hafeezullah Tareen', 'Hafiz Ullah Tarin')).toBe(true);
    expect(meets('Abdul Ghafoor Baloch Sanjrani', 'Abdulghafoor Sanjrani')).toBe(true);
  });

  it('reads pairs of distinctive parts first, and a pair of two common parts last', () => {
    expect(nameQueryTiers('Muhammad Ali')).toEqual([['2#AL+MD']]);
    const tiers = nameQueryTiers('Muhammad Hassan Rind');
    expect(tiers[0]).toContain(`2#${[phoneticKey('hassan'), phoneticKey('rind')].sort().join('+')}`);
    expect(tiers[0]?.some((key) => key.includes('MD+') || key.endsWith('+MD'))).toBe(false);
    expect(tiers[1]).toContain(`2#MD+${phoneticKey('rind')}`);
  });

  it('reads one part’s partition for a one-word query', () => {
    expect(nameQueryKeys('Hafizullah')).toEqual([`1#${phoneticKey('hafeezullah')}`]);
  });
});

describe('application reference', () => {
  it('formats the sequence with six digits and parses it back however it was typed', () => {
    expect(formatApplicationReference(2026, 4512)).toBe('RA-2026-004512');
    expect(parseApplicationReference('ra 2026 4512')).toBe('RA-2026-004512');
    expect(parseApplicationReference('RA-2026-004512')).toBe('RA-2026-004512');
    expect(parseApplicationReference('RA2026004512')).toBe('RA-2026-004512');
    expect(parseApplicationReference('BP-2026-004512')).toBeUndefined();
    expect(parseApplicationReference('RA-2026-000000')).toBeUndefined();
  });
});
