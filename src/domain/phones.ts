/**
 * A phone as people write it in Brazil: '+5551988068493' → '(51) 98806-8493'; a landline
 * '+555133334444' → '(51) 3333-4444'. Numbers of other countries, and anything that is not a
 * phone (an e-mail, a letter's address), are returned as given.
 */
export function formatPhone(value: string): string {
  const match = /^\+55([1-9]\d)(9\d{4}|[2-5]\d{3})(\d{4})$/.exec(value.trim());
  return match ? `(${match[1]}) ${match[2]}-${match[3]}` : value;
}

/** A contact's value as shown: phones formatted, e-mails as they are. */
export function formatContact(value: string): string {
  return value.startsWith("+") ? formatPhone(value) : value;
}
