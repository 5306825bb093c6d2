// The institution directory behind "select institution": size, stable ids, and search ranking.
import {
  DIRECTORY_INSTITUTIONS,
  directoryId,
  findDirectoryInstitution,
  matchScore,
  searchInstitutions,
} from '../../src/sandbox/institution-directory';
import { INSTITUTIONS } from '../../src/sandbox/institutions';

const tests = INSTITUTIONS.map((i) => ({
  id: i.id,
  name: i.name,
  featured: i.id !== 'fcinst_tokenized_account_number',
}));

describe('institution directory', () => {
  describe('DIRECTORY_INSTITUTIONS', () => {
    it('should hold several hundred institutions with unique names and ids', () => {
      expect(DIRECTORY_INSTITUTIONS.length).toBeGreaterThanOrEqual(400);
      expect(new Set(DIRECTORY_INSTITUTIONS.map((i) => i.name)).size).toBe(DIRECTORY_INSTITUTIONS.length);
      expect(new Set(DIRECTORY_INSTITUTIONS.map((i) => i.id)).size).toBe(DIRECTORY_INSTITUTIONS.length);
    });

    it('should derive ids that never collide with the test institutions and round-trip through find', () => {
      for (const d of DIRECTORY_INSTITUTIONS) {
        expect(d.id).toMatch(/^fcinst_dir_[a-z0-9_]+$/);
        expect(findDirectoryInstitution(d.id)).toBe(d);
      }
      expect(directoryId('M&T Bank')).toBe('fcinst_dir_m_and_t_bank');
      expect(findDirectoryInstitution('fcinst_test_non_oauth')).toBeUndefined();
    });
  });

  describe('matchScore', () => {
    it.each([
      ['JPMorgan Chase Bank', 'chase', true],
      ['JPMorgan Chase Bank', 'jpm ch', true],
      ['Navy Federal Credit Union', 'navy fed cu', false],
      ['Navy Federal Credit Union', 'NAVY credit', true],
      ["Jeanne D'Arc Credit Union", 'darc', true],
      ['U.S. Bank', 'us bank', true],
      ['Bank of America', 'america bank', true],
      ['Bank of America', 'ameri x', false],
    ])('should match %s for %s: %s', (name, query, matches) => {
      expect(matchScore(name, query) > 0).toBe(matches);
    });

    it('should rank names that start with the query first', () => {
      expect(matchScore('Chase Bank', 'chase')).toBeGreaterThan(matchScore('JPMorgan Chase Bank', 'chase'));
    });
  });

  describe('searchInstitutions', () => {
    it('should put the test institutions before the directory', () => {
      const found = searchInstitutions('bank', { testInstitutions: tests });
      const kinds = found.map((f) => f.kind);
      expect(kinds.indexOf('directory')).toBeGreaterThan(kinds.lastIndexOf('test'));
      expect(found.slice(0, 2).map((f) => f.name)).toEqual(['Bank (Non-OAuth)', 'Bank (OAuth)']);
    });

    it('should show featured test institutions, then popular banks, for an empty query', () => {
      const found = searchInstitutions('  ', { testInstitutions: tests });
      expect(found.filter((f) => f.kind === 'test').map((f) => f.name)).not.toContain(
        'Tokenized Account Number',
      );
      expect(found.filter((f) => f.kind === 'directory').map((f) => f.name)).toEqual(
        expect.arrayContaining(['Bank of America', 'Wells Fargo', 'Chime']),
      );
    });

    it('should respect the limit', () => {
      expect(searchInstitutions('bank', { testInstitutions: tests, limit: 5 })).toHaveLength(5);
    });
  });
});
