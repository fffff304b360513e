/** Words the demo data is made of: realistic, never real people. */
export const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '梁', '宋', '郑', '谢', '韩', '唐', '冯', '邓', '曹', '彭', '曾'];
export const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '华', '建国', '志强', '海燕', '小红', '晓东', '佳怡', '子涵', '浩然', '雨桐', '俊杰', '欣怡'];

export const COMPANY_PREFIX = ['顺达', '恒通', '宏发', '华美', '新兴', '嘉盛', '鑫源', '瑞丰', '粤海', '安捷', '永利', '德信', '锦程', '立诚', '汇通', '优品', '百佳', '乐家', '明辉', '众邦', '天泽', '卓越', '兴华', '佳禾', '远航'];
/** Industry, company-name suffix and the job categories such a company posts. */
export const INDUSTRIES: Array<[zh: string, suffix: string, categories: string[]]> = [
	['物流', '物流有限公司', ['warehouse', 'delivery', 'driving']],
	['电子', '电子科技有限公司', ['manufacturing', 'warehouse']],
	['餐饮', '餐饮管理有限公司', ['catering', 'cleaning']],
	['家政', '家政服务有限公司', ['domestic', 'cleaning', 'caregiving']],
	['建筑', '建筑工程有限公司', ['construction', 'security']],
	['快递', '速递有限公司', ['delivery', 'warehouse']],
	['商超', '商贸有限公司', ['retail', 'warehouse', 'customer_service']],
	['制造', '精密制造有限公司', ['manufacturing', 'warehouse']],
	['物业', '物业管理有限公司', ['security', 'cleaning', 'customer_service']],
	['养老', '养老服务有限公司', ['caregiving', 'cleaning', 'catering']],
	['汽车', '汽车服务有限公司', ['driving', 'customer_service']],
	['服装', '服饰有限公司', ['manufacturing', 'retail']]
];

/** The categories an employer posts in, read back from its name (the seed names it after its industry). */
export function categoriesOf(organisationName: string): string[] {
	return INDUSTRIES.find(([, suffix]) => organisationName.endsWith(suffix))?.[2] ?? CATEGORIES.map((c) => c.category);
}

export interface CategorySeed {
	category: string;
	titles: string[];
	/** Monthly pay range for regular jobs, daily for odd jobs. */
	monthly: [number, number];
	daily: [number, number];
}

export const CATEGORIES: CategorySeed[] = [
	{ category: 'warehouse', titles: ['仓库分拣员', '仓储管理员', '叉车司机', '理货员', '装卸工'], monthly: [4500, 7500], daily: [180, 280] },
	{ category: 'delivery', titles: ['外卖骑手', '快递派送员', '同城配送员', '货车司机'], monthly: [6000, 11000], daily: [200, 350] },
	{ category: 'cleaning', titles: ['保洁员', '家庭保洁', '商场保洁', '开荒保洁'], monthly: [3200, 4500], daily: [150, 220] },
	{ category: 'security', titles: ['保安员', '安检员', '门岗值守', '活动安保'], monthly: [3800, 5500], daily: [160, 240] },
	{ category: 'catering', titles: ['厨师', '服务员', '洗碗工', '面点师', '后厨帮工'], monthly: [4000, 7000], daily: [150, 250] },
	{ category: 'manufacturing', titles: ['普工', '质检员', '操作工', '包装工', '电子装配工'], monthly: [4800, 7000], daily: [170, 260] },
	{ category: 'retail', titles: ['收银员', '导购', '理货员', '促销员'], monthly: [3800, 5500], daily: [150, 220] },
	{ category: 'construction', titles: ['木工', '电工', '钢筋工', '泥瓦工', '水电安装工'], monthly: [7000, 12000], daily: [300, 450] },
	{ category: 'domestic', titles: ['育儿嫂', '住家保姆', '钟点工', '月嫂'], monthly: [5000, 9000], daily: [200, 320] },
	{ category: 'caregiving', titles: ['养老护理员', '陪诊员', '护工'], monthly: [4500, 7000], daily: [180, 280] },
	{ category: 'driving', titles: ['网约车司机', '驾驶员', '通勤班车司机'], monthly: [6000, 9000], daily: [250, 350] },
	{ category: 'customer_service', titles: ['客服专员', '电话客服', '社区服务专员'], monthly: [4000, 6000], daily: [160, 220] }
];

export const STATION_KIND_SUFFIX: Record<string, string> = {
	community: '家门口就业服务站',
	industrial_park: '园区就业驿站',
	transport_hub: '交通枢纽就业服务点',
	mobile: '流动就业服务车',
	online: '线上就业服务平台',
	odd_job: '零工市场',
	outdoor_worker: '户外劳动者驿站'
};

export const FACILITIES = ['饮水', '充电', '休息区', '卫生间', '微波炉', '药箱', '无障碍通道', '自助终端', '母婴室', '打印复印'];
