/** Says once which database the suite runs on, so a green run on the wrong one is visible. */
export default function setup() {
  const url = process.env.DATABASE_URL
  process.stdout.write(
    url
      ? `test database: Postgres at ${new URL(url).host} (a fresh database per test file)\n`
      : "test database: embedded Postgres (PGlite), one per test file — set DATABASE_URL to use a real server\n"
  )
}
