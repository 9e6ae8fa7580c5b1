-- What an analyst sees: every personal column masked, joins still possible
-- through the keyed pseudonym (identical in PostgreSQL, MariaDB and SQLite).
SELECT id,
       sqlxos.mask_inner(name, 1, 0)                     AS name,
       sqlxos.mask_email(email)                          AS email,
       sqlxos.mask_phone(phone)                          AS phone,
       sqlxos.mask_pan(replace(card, ' ', ''))           AS card,
       sqlxos.mask_ssn(ssn)                              AS ssn,
       sqlxos.mask_iban(iban)                            AS iban,
       sqlxos.generalize(birthday, 'year')               AS born,
       sqlxos.generalize(salary, 10000)                  AS salary_band,
       sqlxos.pseudonymize(email, 'demo-salt')           AS customer_key
FROM customers
ORDER BY id;
