/** The approval as one that started the apply: a test whose plan needs one approver fails here if it only voted. */
export function started<T extends { kind: string }>(approval: T): Extract<T, { kind: 'approved' }> {
  if (approval.kind !== 'approved') throw new Error(`expected the approval to start the apply; it only voted (${JSON.stringify({ ...approval, session: undefined, plan: undefined, votes: undefined })})`);
  return approval as Extract<T, { kind: 'approved' }>;
}
