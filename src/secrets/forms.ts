// The forms a secret takes once pgha itself has transformed it: shell-quoted (`quote`), JSON- or
// YAML-escaped (`json`, to_json, to_yaml), URL-encoded, base64 (`b64encode`, whole or inside a longer
// encoded text). Each is masked like the value itself, so `{{ db_password | b64encode }}` in a command,
// a diff or a -v line shows ******** too. A one-way transformation (a hash) is not the secret.

/** Forms shorter than this are not masked: a 2-character base64 group would garble every output. */
const MIN_FORM_LENGTH = 6

/** The secret and every transformed form of it worth masking, without duplicates. */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret])
  const add = (form: string): void => {
    if (form !== secret && form.length >= MIN_FORM_LENGTH) forms.add(form)
  }
  add(secret.replace(/'/g, `'\\''`)) // inside sh single quotes
  add(secret.replace(/'/g, "''")) // inside YAML or SQL single quotes
  const json = JSON.stringify(secret).slice(1, -1)
  add(json)
  add(json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)) // ensure_ascii
  add(encodeURIComponent(secret))
  add(encodeURIComponent(secret).replace(/%20/g, '+'))
  for (const b64 of base64Forms(Buffer.from(secret, 'utf8'))) add(b64)
  return [...forms]
}

/**
 * Base64 of the secret alone (padded, the usual `b64encode`), and the characters that encode only the
 * secret's bytes when it sits at any of the three byte alignments inside a longer encoded text
 * (`user:PASSWORD` encoded for a basic-auth header), in both alphabets.
 */
function base64Forms(bytes: Buffer): string[] {
  const out = [bytes.toString('base64')]
  for (let shift = 0; shift < 3; shift++) {
    const shifted = Buffer.concat([Buffer.alloc(shift), bytes])
    const whole = Math.floor(shifted.length / 3) * 4 // groups made of whole 3-byte blocks
    const core = shifted.toString('base64').slice(shift === 0 ? 0 : 4, whole)
    if (core.length >= 8) out.push(core)
  }
  return [...out, ...out.map((s) => s.replace(/\+/g, '-').replace(/\//g, '_'))]
}
