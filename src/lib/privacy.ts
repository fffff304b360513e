/** Masked forms of personal data for boards, chat, logs and anyone who does not need the real value. */
export function maskPhone(phone: string | null | undefined): string {
	if (!phone) return '';
	return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/** A mainland mobile number standing alone (not inside a longer run of digits such as a timestamp). */
export const MOBILE_NUMBER = /(?<![0-9])1[3-9][0-9]{9}(?![0-9])/g;

/** Every mobile number in a text masked: 13800138000 → 138****8000. */
export function maskMobileNumbers(text: string): string {
	return text.replace(MOBILE_NUMBER, (p) => maskPhone(p));
}

/** Does the text hold a mobile number? */
export function hasMobileNumber(text: string): boolean {
	return new RegExp(MOBILE_NUMBER.source).test(text);
}

/** 张三丰 → 张**; Li Lei → L***. */
export function maskName(name: string | null | undefined): string {
	if (!name) return '';
	const chars = [...name.trim()];
	return chars[0] + '*'.repeat(Math.max(1, Math.min(chars.length - 1, 3)));
}
