-- The sectors a citizen can choose from on a fresh install, so reporting works before an
-- office loads its own directory (npm run directory -- import …), which may change them.
INSERT OR IGNORE INTO `sectors` (`id`, `name_zh`, `name_en`, `sort`) VALUES
  ('mines', '矿山', 'Mines', 10),
  ('hazardous-chemicals', '危险化学品', 'Hazardous chemicals', 20),
  ('fireworks', '烟花爆竹', 'Fireworks', 30),
  ('construction', '建筑施工', 'Construction', 40),
  ('roads', '道路交通', 'Roads and traffic', 50),
  ('fire', '消防安全', 'Fire safety', 60),
  ('schools', '校园安全', 'Schools', 70),
  ('markets', '商场市场', 'Markets', 80),
  ('industry-trade', '工贸企业', 'Industry and trade', 90),
  ('other', '其他', 'Other', 100);
