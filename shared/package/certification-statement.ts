// The manifest: an in-toto Statement v1 whose subjects are the package's files and whose predicate says what was
// certified, by whom, on what data and under what policy.
import { utf8 } from '../codec';
import { PREDICATE_TYPE, STATEMENT_TYPE } from './package-layout';
import type { CertificationPredicate, Statement, StatementSubject } from './types';

export function certificationStatement(subject: StatementSubject[], predicate: CertificationPredicate): Statement {
  return { _type: STATEMENT_TYPE, subject, predicateType: PREDICATE_TYPE, predicate };
}

/** manifest.intoto.json and the DSSE payload are these exact bytes. */
export function statementBytes(statement: Statement): Uint8Array {
  return utf8(`${JSON.stringify(statement, null, 2)}\n`);
}
