/**
 * The demo province: Guangdong's 21 prefecture-level cities at their real coordinates and codes, with
 * districts under each (real names; real codes where the city has districts; Dongguan and Zhongshan have
 * none, so their towns stand in under synthetic county-level codes).
 */
export interface CitySeed {
	code: string;
	zh: string;
	en: string;
	lat: number;
	lng: number;
	/** Relative size: how many stations and positions it gets. */
	weight: number;
	counties: Array<[code: string, zh: string, en: string]>;
}

export const PROVINCE = { code: '44', zh: '广东省', en: 'Guangdong', lat: 23.132, lng: 113.266 };

export const CITIES: CitySeed[] = [
	{ code: '4401', zh: '广州市', en: 'Guangzhou', lat: 23.129, lng: 113.264, weight: 10, counties: [['440104', '越秀区', 'Yuexiu'], ['440105', '海珠区', 'Haizhu'], ['440106', '天河区', 'Tianhe'], ['440111', '白云区', 'Baiyun'], ['440113', '番禺区', 'Panyu']] },
	{ code: '4403', zh: '深圳市', en: 'Shenzhen', lat: 22.543, lng: 114.058, weight: 10, counties: [['440303', '罗湖区', 'Luohu'], ['440304', '福田区', 'Futian'], ['440305', '南山区', 'Nanshan'], ['440306', '宝安区', "Bao'an"], ['440307', '龙岗区', 'Longgang']] },
	{ code: '4419', zh: '东莞市', en: 'Dongguan', lat: 23.021, lng: 113.752, weight: 6, counties: [['441900', '莞城', 'Guancheng'], ['441901', '松山湖', 'Songshan Lake'], ['441902', '长安镇', "Chang'an"], ['441903', '虎门镇', 'Humen']] },
	{ code: '4406', zh: '佛山市', en: 'Foshan', lat: 23.022, lng: 113.122, weight: 6, counties: [['440604', '禅城区', 'Chancheng'], ['440605', '南海区', 'Nanhai'], ['440606', '顺德区', 'Shunde']] },
	{ code: '4413', zh: '惠州市', en: 'Huizhou', lat: 23.112, lng: 114.416, weight: 3, counties: [['441302', '惠城区', 'Huicheng'], ['441303', '惠阳区', 'Huiyang'], ['441322', '博罗县', 'Boluo']] },
	{ code: '4420', zh: '中山市', en: 'Zhongshan', lat: 22.517, lng: 113.393, weight: 3, counties: [['442000', '石岐', 'Shiqi'], ['442001', '火炬开发区', 'Torch Development Zone'], ['442002', '小榄镇', 'Xiaolan']] },
	{ code: '4404', zh: '珠海市', en: 'Zhuhai', lat: 22.271, lng: 113.577, weight: 2, counties: [['440402', '香洲区', 'Xiangzhou'], ['440403', '斗门区', 'Doumen'], ['440404', '金湾区', 'Jinwan']] },
	{ code: '4407', zh: '江门市', en: 'Jiangmen', lat: 22.579, lng: 113.082, weight: 2, counties: [['440703', '蓬江区', 'Pengjiang'], ['440704', '江海区', 'Jianghai'], ['440705', '新会区', 'Xinhui']] },
	{ code: '4405', zh: '汕头市', en: 'Shantou', lat: 23.354, lng: 116.682, weight: 2, counties: [['440507', '龙湖区', 'Longhu'], ['440511', '金平区', 'Jinping'], ['440513', '潮阳区', 'Chaoyang']] },
	{ code: '4408', zh: '湛江市', en: 'Zhanjiang', lat: 21.271, lng: 110.359, weight: 2, counties: [['440802', '赤坎区', 'Chikan'], ['440803', '霞山区', 'Xiashan'], ['440811', '麻章区', 'Mazhang']] },
	{ code: '4412', zh: '肇庆市', en: 'Zhaoqing', lat: 23.047, lng: 112.465, weight: 1.5, counties: [['441202', '端州区', 'Duanzhou'], ['441203', '鼎湖区', 'Dinghu']] },
	{ code: '4402', zh: '韶关市', en: 'Shaoguan', lat: 24.811, lng: 113.597, weight: 1.2, counties: [['440203', '武江区', 'Wujiang'], ['440204', '浈江区', 'Zhenjiang'], ['440205', '曲江区', 'Qujiang']] },
	{ code: '4409', zh: '茂名市', en: 'Maoming', lat: 21.663, lng: 110.925, weight: 1.5, counties: [['440902', '茂南区', 'Maonan'], ['440904', '电白区', 'Dianbai']] },
	{ code: '4418', zh: '清远市', en: 'Qingyuan', lat: 23.682, lng: 113.056, weight: 1.2, counties: [['441802', '清城区', 'Qingcheng'], ['441803', '清新区', 'Qingxin']] },
	{ code: '4452', zh: '揭阳市', en: 'Jieyang', lat: 23.55, lng: 116.373, weight: 1.2, counties: [['445202', '榕城区', 'Rongcheng'], ['445203', '揭东区', 'Jiedong']] },
	{ code: '4414', zh: '梅州市', en: 'Meizhou', lat: 24.289, lng: 116.122, weight: 1, counties: [['441402', '梅江区', 'Meijiang'], ['441403', '梅县区', 'Meixian']] },
	{ code: '4417', zh: '阳江市', en: 'Yangjiang', lat: 21.858, lng: 111.983, weight: 1, counties: [['441702', '江城区', 'Jiangcheng'], ['441704', '阳东区', 'Yangdong']] },
	{ code: '4416', zh: '河源市', en: 'Heyuan', lat: 23.743, lng: 114.7, weight: 1, counties: [['441602', '源城区', 'Yuancheng'], ['441625', '东源县', 'Dongyuan']] },
	{ code: '4415', zh: '汕尾市', en: 'Shanwei', lat: 22.786, lng: 115.375, weight: 0.8, counties: [['441502', '城区', 'Chengqu'], ['441521', '海丰县', 'Haifeng']] },
	{ code: '4451', zh: '潮州市', en: 'Chaozhou', lat: 23.657, lng: 116.622, weight: 0.8, counties: [['445102', '湘桥区', 'Xiangqiao'], ['445103', '潮安区', "Chao'an"]] },
	{ code: '4453', zh: '云浮市', en: 'Yunfu', lat: 22.915, lng: 112.044, weight: 0.8, counties: [['445302', '云城区', 'Yuncheng'], ['445303', '云安区', "Yun'an"]] }
];

/** Street (town) and community name parts; streets get 9-digit codes, communities 12-digit. */
export const STREET_NAMES = ['中山', '人民', '新华', '东风', '建设', '解放', '和平', '文明', '光明', '幸福', '滨江', '龙华', '南华', '长安', '新城', '金沙', '五山', '石牌', '沙河', '白沙'];
export const COMMUNITY_NAMES = ['花园', '东苑', '西苑', '南村', '北社', '兴业', '安居', '和谐', '华侨', '育才', '翠竹', '锦绣', '榕树', '荔枝湾', '明珠', '丰泽'];
