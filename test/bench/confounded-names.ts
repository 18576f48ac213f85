// Names for the confounded organisations: small lists on purpose, so that namesakes occur as they do in real
// directories (two people called Jane Smith with different e-mails and employee ids).
export const FIRST_NAMES = [
  'Aaron', 'Abigail', 'Adam', 'Aisha', 'Alex', 'Alice', 'Amir', 'Ana', 'Ben', 'Bianca', 'Carlos', 'Chen', 'Chloe', 'Daniel',
  'Deepa', 'Diego', 'Elena', 'Emma', 'Ethan', 'Fatima', 'Felix', 'Grace', 'Hana', 'Hugo', 'Ines', 'Ivan', 'Jack', 'Jane',
  'Jin', 'John', 'Julia', 'Kai', 'Karen', 'Kenji', 'Laura', 'Leo', 'Lina', 'Lucas', 'Maria', 'Mark', 'Maya', 'Mohamed',
  'Nadia', 'Noah', 'Olga', 'Omar', 'Paul', 'Priya', 'Rahul', 'Rosa', 'Sam', 'Sara', 'Sofia', 'Tom', 'Uma', 'Victor',
  'Wei', 'Yara', 'Yusuf', 'Zoe',
];
export const LAST_NAMES = [
  'Adams', 'Ahmed', 'Alvarez', 'Baker', 'Banerjee', 'Brown', 'Campbell', 'Chen', 'Clark', 'Cohen', 'Costa', 'Davies',
  'Diaz', 'Dubois', 'Evans', 'Fischer', 'Garcia', 'Gonzalez', 'Green', 'Gupta', 'Hall', 'Hansen', 'Harris', 'Hill',
  'Hoffmann', 'Ito', 'Jackson', 'Jansen', 'Johnson', 'Jones', 'Kaur', 'Khan', 'Kim', 'King', 'Kowalski', 'Lee', 'Lewis',
  'Lopez', 'Martin', 'Meyer', 'Miller', 'Moore', 'Morris', 'Murphy', 'Nguyen', 'Nielsen', 'Novak', 'Okafor', 'Olsen',
  'Park', 'Patel', 'Perez', 'Petrov', 'Quinn', 'Reddy', 'Roberts', 'Rossi', 'Sanchez', 'Santos', 'Schmidt', 'Scott',
  'Silva', 'Singh', 'Smith', 'Suzuki', 'Tanaka', 'Taylor', 'Thomas', 'Turner', 'Wagner', 'Walker', 'Wang', 'Weber',
  'White', 'Williams', 'Wilson', 'Wright', 'Yamamoto', 'Young', 'Zhang',
];

/** Hands out names and unique e-mail local parts; repeated names get a number in the e-mail only. */
export class NameBook {
  private readonly taken = new Map<string, number>();
  /** displayName → how many people carry it. */
  readonly counts = new Map<string, number>();
  next(pick: <T>(items: readonly T[]) => T): { first: string; last: string; displayName: string; local: string } {
    const first = pick(FIRST_NAMES);
    const last = pick(LAST_NAMES);
    const displayName = `${first} ${last}`;
    const base = `${first}.${last}`.toLowerCase();
    const n = (this.taken.get(base) ?? 0) + 1;
    this.taken.set(base, n);
    this.counts.set(displayName, (this.counts.get(displayName) ?? 0) + 1);
    return { first, last, displayName, local: n === 1 ? base : `${base}${n}` };
  }
}
