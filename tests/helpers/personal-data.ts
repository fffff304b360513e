/**
 * Personal data where it must never be: log lines that hold a mainland mobile number, or that report one
 * seen in a URL (hooks.server.ts logs that, with the number masked). Used by the browser tests' log scan and
 * by the integration tests that run the production server. Findings come back masked, so the report does
 * not spread what it found.
 */
import { hasMobileNumber, maskMobileNumbers } from '../../src/lib/privacy';

/** `urls: false` when the client was hostile on purpose (a fuzz puts numbers in URLs; the warning is right). */
export function personalDataIn(lines: string[], options: { urls?: boolean } = {}): string[] {
	const urls = options.urls ?? true;
	return lines.filter((line) => hasMobileNumber(line) || (urls && line.includes('phone number in a URL'))).map((line) => maskMobileNumbers(line).slice(0, 300));
}
