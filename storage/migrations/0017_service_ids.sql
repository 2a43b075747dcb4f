-- 0017: a service as the council's other systems know it (issue 30). The Care Quality
-- Commission's location id ('1-101234567') and the NHS Organisation Data Service code,
-- both optional, both set by `carebot service set-ids`; reports carry them beside
-- carebot's own id so an analyst can join carebot's figures with other data.
ALTER TABLE services ADD COLUMN cqc_location_id TEXT;
ALTER TABLE services ADD COLUMN ods_code TEXT;
