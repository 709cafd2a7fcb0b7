export interface Interval {
  lo: number;
  hi: number;
}

/**
 * Puts each interval on a lane where it meets no other interval (closer than `gap`), first fit
 * in the order given. Returns each interval's lane and how many lanes there are.
 */
export function assignLanes(intervals: readonly Interval[], gap: number): { lanes: number[]; count: number } {
  const taken: Interval[][] = [];
  const lanes = intervals.map((iv) => {
    let lane = taken.findIndex((used) => used.every((u) => iv.lo > u.hi + gap || u.lo > iv.hi + gap));
    if (lane < 0) {
      lane = taken.length;
      taken.push([]);
    }
    taken[lane].push(iv);
    return lane;
  });
  return { lanes, count: taken.length };
}
