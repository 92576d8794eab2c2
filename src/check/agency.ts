/** What kind of body published a report, from its name (for deadlines and 规章 authority). */
export type AgencyKind = 'government' | 'township' | 'subdistrict' | 'department' | 'unknown';

export function agencyKind(name: string | null): AgencyKind {
  if (!name) return 'unknown';
  const t = name.replace(/\s+/g, '');
  if (/街道办事处$|街道$|街道办$/.test(t)) return 'subdistrict';
  if (/(乡|镇)人民政府$/.test(t)) return 'township';
  if (/人民政府$/.test(t)) return 'government';
  return 'department';
}

/** bodies that make 规章: provincial governments and governments of 设区的市/自治州 (and State Council departments) */
export function clearlyWithoutRuleMaking(name: string | null): boolean {
  if (!name) return false;
  const t = name.replace(/\s+/g, '');
  if (/街道办事处$|街道$|(乡|镇)人民政府$|(县|区|旗)人民政府$/.test(t)) return true;
  // departments of a county or district government
  return /(县|区)[^省市]*?(局|委员会|委|办公室|中心)$/.test(t) && !/省|自治区/.test(t);
}
