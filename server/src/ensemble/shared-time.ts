/**
 * The shared clock every note carries: this process's high-resolution clock anchored to the wall clock at start, in
 * ms with sub-millisecond precision (clients estimate their offset to it from ping/pong midpoints; whole-ms Date.now()
 * would add up to 0.5 ms of quantisation to every sample). Replicas agree as far as their hosts' clocks do (NTP).
 */
export function sharedNow(): number {
  return performance.timeOrigin + performance.now();
}
