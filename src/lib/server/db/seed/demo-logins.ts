/** One demo login per role: printed at start-up, listed in the README, used by the e2e tests. */
export const DEMO_PASSWORD = 'jobcircle-demo';

export interface DemoLogin {
	username: string;
	role: 'admin' | 'supervisor' | 'staff' | 'employer' | 'seeker';
	zh: string;
	en: string;
	/** Where the role lands after signing in. */
	home: string;
}

export const DEMO_LOGINS: DemoLogin[] = [
	{ username: 'admin', role: 'admin', zh: '系统管理员', en: 'Administrator', home: '/admin' },
	{ username: 'supervisor', role: 'supervisor', zh: '省人社厅督导（全省）', en: 'Province supervisor (all of Guangdong)', home: '/ops' },
	{ username: 'supervisor.gz', role: 'supervisor', zh: '广州市人社局督导', en: 'Guangzhou city supervisor', home: '/ops' },
	{ username: 'staff', role: 'staff', zh: '天河区五山街道家门口就业服务站工作人员', en: 'Staff, Wushan street station (Tianhe)', home: '/stations/1' },
	{ username: 'employer', role: 'employer', zh: '广州顺达物流有限公司招聘专员', en: 'Recruiter, Guangzhou Shunda Logistics', home: '/employer' },
	{ username: 'seeker', role: 'seeker', zh: '求职者（已有申请）', en: 'Job seeker with applications', home: '/jobs' }
];

/** The demo wall display of station 1 (a real device token gets shown once when a display is registered). */
export const DEMO_DISPLAY_TOKEN = 'demo-display-station-1-6f3b2a9c';
