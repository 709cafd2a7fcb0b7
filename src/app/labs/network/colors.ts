/** One colour per flow (up to 8 distinct, then repeating), and the CPU categories. */
export const FLOW_COLORS = ['#4e9af1', '#f29e4c', '#5cc98a', '#e5646b', '#b08cf0', '#e8d25a', '#58c7c9', '#f08cc8'];
export const flowColor = (f: number) => FLOW_COLORS[f % FLOW_COLORS.length];
export const CPU_COLORS = { guest: '#5cc98a', vmm: '#e5646b', kernel: '#4e9af1', idle: '#e5e7eb' };
