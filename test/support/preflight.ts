// Every test run first checks the machine has what the tests drive, and stops at once naming what is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** One outside tool a test uses as an independent check or a real part, and the Debian packages that bring it. */
interface Requirement {
  what: string;
  packages: string[];
  present: () => boolean;
}

const python = (imports: string) => () =>
  existsSync('/usr/bin/python3') &&
  spawnSync('/usr/bin/python3', ['-c', `import ${imports}`], { stdio: 'ignore' }).status === 0;

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const REQUIREMENTS: Requirement[] = [
  {
    what: 'Java 17+ (DynamoDB Local)',
    packages: ['openjdk-17-jre-headless'],
    present: () => spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0,
  },
  { what: `Chromium at ${CHROMIUM}`, packages: ['chromium'], present: () => existsSync(CHROMIUM) },
  {
    what: 'zbarimg (an independent QR reader)',
    packages: ['zbar-tools'],
    present: () => existsSync('/usr/bin/zbarimg'),
  },
  {
    what: "PyJWT with cryptography for Debian's /usr/bin/python3 (an independent JWT verifier)",
    packages: ['python3', 'python3-jwt', 'python3-cryptography'],
    present: python('jwt, cryptography'),
  },
  {
    what: "PIL and numpy for Debian's /usr/bin/python3 (the phone-like QR field set)",
    packages: ['python3-pil', 'python3-numpy'],
    present: python('PIL, numpy'),
  },
];

/** The requirements this machine lacks. */
export function missingRequirements(): Requirement[] {
  return REQUIREMENTS.filter((requirement) => !requirement.present());
}

export default function preflight(): void {
  const missing = missingRequirements();
  if (missing.length === 0) return;
  const packages = [...new Set(missing.flatMap((m) => m.packages))].join(' ');
  throw new Error(
    [
      'The tests need tools this machine does not have (no test is skipped for want of them):',
      ...missing.map((m) => `  - ${m.what}`),
      `Install them (as root): apt-get update && apt-get install -y --no-install-recommends ${packages}`,
      'or run `bash .ci/run`, which installs them and then runs every check.',
    ].join('\n'),
  );
}
