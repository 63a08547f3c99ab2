-- Tokens that route themselves (docs/scale.md § Tokens). Every tenant gets a small route number;
-- a token issued from now on starts with it ("<route number in base 36>.<random>"), so the tenant
-- is known from the token alone and the row is found by (tenant_id, token) — the key Citus needs
-- on a table distributed by tenant. Tokens issued before carry no route (no "."): they are found
-- by the token alone through a partial index that only they populate, and keep working.
create sequence tenant_route_numbers as bigint;
alter table tenants add column route_number bigint not null default nextval('tenant_route_numbers');
alter sequence tenant_route_numbers owned by tenants.route_number;
alter table tenants add constraint tenants_route_number_key unique (route_number);

alter table short_links drop constraint short_links_pkey;
alter table short_links add primary key (tenant_id, code);
create index short_links_unrouted_code on short_links (code) where position('.' in code) = 0;

-- The hashed tokens (the portal's and operators' session cookies, standing tokens) and the Pix
-- webhook's path: keyed with the tenant; a token issued before routing is found by its hash alone
-- through a plain index (sessions and standing tokens expire within hours, so that path empties).
alter table portal_sessions drop constraint portal_sessions_pkey;
alter table portal_sessions add primary key (tenant_id, token_hash);
create index portal_sessions_token_hash on portal_sessions (token_hash);
alter table standing_tokens drop constraint standing_tokens_pkey;
alter table standing_tokens add primary key (tenant_id, token_hash);
create index standing_tokens_token_hash on standing_tokens (token_hash);
alter table operator_sessions drop constraint operator_sessions_token_hash_key;
alter table operator_sessions add constraint operator_sessions_token_hash_key unique (tenant_id, token_hash);
create index operator_sessions_token_hash on operator_sessions (token_hash);
-- one row per tenant already (primary key tenant_id): the token needs no key of its own
alter table pix_settings drop constraint pix_settings_webhook_token_key;
create index pix_settings_webhook_token on pix_settings (webhook_token);
-- an API key's prefix is unique within its tenant; keys issued before routing are found by prefix
drop index api_keys_prefix;
create unique index api_keys_prefix on api_keys (tenant_id, prefix);
create index api_keys_unrouted_prefix on api_keys (prefix) where position('.' in prefix) = 0;
