/** Masked forms of personal data for boards, chat, logs and anyone who does not need the real value. */
export function maskPhone(phone: string | null | undefined): string {
	if (!phone) return '';
	return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/** 张三丰 → 张**; Li Lei → L***. */
export function maskName(name: string | null | undefined): string {
	if (!name) return '';
	const chars = [...name.trim()];
	return chars[0] + '*'.repeat(Math.max(1, Math.min(chars.length - 1, 3)));
}
