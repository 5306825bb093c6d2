// The sandbox's seeded owners: a name's letters survive into its email address (Müller → muller, not mller).
import { Rng } from '../../src/sandbox/random';
import { seedOwners } from '../../src/sandbox/seed';
import { manualEntryTemplate } from '../../src/sandbox/institutions';

describe('seedOwners', () => {
  it('should write each owner’s email from the name without accents, dropping no letter', () => {
    const template = {
      ...manualEntryTemplate('000123456789', 'checking'),
      owners: 3,
      businessOwner: undefined,
    };
    let withAccent = 0;
    for (let seed = 1; seed <= 300; seed++) {
      for (const owner of seedOwners(new Rng(seed), template)) {
        const plain = owner.name
          .normalize('NFD')
          .replace(/[\u0300-\u036f]/g, '')
          .toLowerCase()
          .replace(' ', '.');
        if (plain !== owner.name.toLowerCase().replace(' ', '.')) withAccent += 1;
        expect(owner.email).toBe(`${plain.replace(/[^a-z.]/g, '')}@example.com`);
      }
    }
    expect(withAccent).toBeGreaterThan(0); // the seed lists do hold accented names (Müller)
  });
});
