-- Search that forgives accents and case, the same on PostgreSQL and PGlite (no unaccent extension
-- there): "vitoria" finds "Vitória", "JESSICA" finds "Jéssica". Portuguese letters only; other
-- scripts pass through lower() unchanged.
create function search_fold(value text) returns text
  language sql immutable parallel safe
  return lower(translate(value,
    'ÁÀÂÃÄÉÈÊËÍÌÎÏÓÒÔÕÖÚÙÛÜÇÑáàâãäéèêëíìîïóòôõöúùûüçñ',
    'AAAAAEEEEIIIIOOOOOUUUUCNaaaaaeeeeiiiiooooouuuucn'));
