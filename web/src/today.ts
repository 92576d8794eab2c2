/** Today as the register counts it: the server's date (China Standard Time, or the date it is fixed to). */
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { fetchToday, knownToday, onToday } from './api';

/** today (YYYY-MM-DD): the local date in China Standard Time until the server has said its own */
export function useToday(): string {
  const [today, setToday] = useState(knownToday);
  useEffect(() => {
    const off = onToday(setToday);
    setToday(knownToday());
    fetchToday();
    return off;
  }, []);
  return today;
}

/** the latest date a picker for something already done offers: today */
export function maxDateOf(today: string): Dayjs {
  return dayjs(today).endOf('day');
}
