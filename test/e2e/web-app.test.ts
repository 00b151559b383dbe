import assert from 'node:assert/strict'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import sharp from 'sharp'
import { launchDebianChromium } from './debian-chromium.ts'
import { eventually, projectRoot, type RunningCloud, startTestCloud } from './local-cloud-fixture.ts'

/** Debian's Chromium, which .ci/run installs: this suite fails, never skips, without it. */
const SCREENSHOTS = join(projectRoot, 'test-results/web-app')
const PHONE = { width: 390, height: 844 }

let env: RunningCloud
let browser: Browser
let web: string
const pageErrors: string[] = []

before(async () => {
  browser = await launchDebianChromium()
  await mkdir(SCREENSHOTS, { recursive: true })
  // As npm start serves it: the build is made first if web/ changed since the last one.
  env = await startTestCloud({
    web: { distDir: join(projectRoot, 'web/dist'), sourceDir: join(projectRoot, 'web') },
  })
  web = env.cloud.endpoints.web ?? assert.fail('the local cloud serves no web app')
})
after(async () => {
  await browser?.close()
  await env?.stop()
})

async function newPage(
  viewport = { width: 1100, height: 800 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport })
  const page = await context.newPage()
  page.setDefaultTimeout(20_000)
  page.on('pageerror', (error) => pageErrors.push(error.message))
  page.on('dialog', (dialog) => void dialog.accept())
  return { context, page }
}

/** Signs in through the local identity's login page, as a person would. */
async function signIn(page: Page, user: 'alice' | 'bob'): Promise<void> {
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByLabel('Username').fill(user)
  await page.getByLabel('Password').fill('udagram')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('button', { name: 'Sign out' }).waitFor()
}

// Functions run in the page, as source text: this project's TypeScript knows Node's globals, not the DOM's.
/** Records every value the upload's progress bar takes, sampled each frame, in `window.progressSeen`. */
const SAMPLE_PROGRESS = `(() => {
  const seen = []
  window.progressSeen = seen
  const sample = () => {
    const bar = document.querySelector('.upload progress')
    if (bar && seen.at(-1) !== bar.value) seen.push(bar.value)
    requestAnimationFrame(sample)
  }
  sample()
})()`
/** The width of the picture an <img> loaded, 0 until it has. */
const naturalWidthOf = (image: Locator) =>
  image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)

/** Chromium's network emulation: bytes a second the page may send, or no limit. */
async function uploadSpeed(page: Page, bytesPerSecond: number | 'unlimited'): Promise<void> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond === 'unlimited' ? -1 : bytesPerSecond,
  })
}

const groupIdOf = (url: string) => new URL(url).pathname.split('/').at(-1) ?? ''

const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) })

/** A harbour at sunset, big enough (about a megabyte) for the upload to take a few progress events. */
const aJpeg = () =>
  sharp(
    Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1000">
      <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
        <stop offset="0" stop-color="#2b3a67"/><stop offset="0.6" stop-color="#f28f3b"/><stop offset="1" stop-color="#ffd07b"/>
      </linearGradient></defs>
      <rect width="1600" height="620" fill="url(#sky)"/>
      <circle cx="1050" cy="560" r="120" fill="#ffe9a8"/>
      <rect y="600" width="1600" height="400" fill="#1d4e6b"/>
      <path d="M300 640 h260 l-40 50 h-180 z" fill="#10202c"/><path d="M430 640 v-170 l90 150 z" fill="#f4efe6"/>
    </svg>`),
  )
    .composite([
      {
        input: {
          create: {
            width: 1600,
            height: 1000,
            channels: 3,
            noise: { type: 'gaussian', mean: 0, sigma: 18 },
            background: '#000',
          },
        },
        blend: 'add',
      },
    ])
    .jpeg({ quality: 92 })
    .toBuffer()

describe('the web app in Chromium', { timeout: 180_000 }, () => {
  it('signs in, uploads with progress, updates live, searches, refuses and marks bad files, deletes', async () => {
    const alice = await newPage()
    await alice.page.goto(web)
    await alice.page.getByRole('heading', { name: 'Groups', exact: true }).waitFor()
    await shot(alice.page, '01-browsing-signed-out')

    await signIn(alice.page, 'alice')
    assert.equal(new URL(alice.page.url()).search, '', 'no code nor state left in the address')
    assert.equal(new URL(alice.page.url()).pathname, '/')
    await alice.page.getByRole('heading', { name: 'New group' }).waitFor()
    await shot(alice.page, '02-alice-signed-in')

    await alice.page.getByRole('button', { name: 'Create group' }).click()
    await alice.page.getByText('Give the group a name.').waitFor()
    await alice.page.getByLabel('Name').fill('Harbour walks')
    await alice.page.getByLabel('Description (optional)').fill('Boats, light and water')
    await alice.page.getByRole('button', { name: 'Create group' }).click()
    await alice.page.getByRole('heading', { name: 'Harbour walks' }).waitFor()
    const groupUrl = alice.page.url()
    assert.match(new URL(groupUrl).pathname, /^\/groups\/[^/]+$/)
    await alice.page.locator('[data-live-status="live"]').waitFor()
    await shot(alice.page, '03-group-created')

    const bob = await newPage(PHONE)
    await bob.page.goto(groupUrl)
    await signIn(bob.page, 'bob')
    assert.equal(bob.page.url(), groupUrl, 'back where bob signed in from')
    await bob.page.locator('[data-live-status="live"]').waitFor()
    assert.equal(await bob.page.getByRole('button', { name: 'Delete group' }).count(), 0, 'not his group')

    // Every value the progress bar takes, sampled each frame by the page itself.
    await alice.page.evaluate(SAMPLE_PROGRESS)
    const jpeg = await aJpeg()
    // Loopback sends a megabyte at once: Chromium's network emulation makes the upload take about 2 s.
    await uploadSpeed(alice.page, jpeg.length / 2)
    await alice.page
      .getByLabel('Choose images')
      .setInputFiles({ name: 'Harbour sunset.jpg', mimeType: 'image/jpeg', buffer: jpeg })
    await alice.page.locator('[data-upload-status="uploaded"]').waitFor()
    await uploadSpeed(alice.page, 'unlimited')
    const progress = await alice.page.evaluate<number[]>('window.progressSeen')
    assert.equal(progress.at(-1), 100, `the bar ends full: ${progress}`)
    assert.ok(
      progress.some((value) => value > 0 && value < 100),
      `it moves with the bytes sent: ${progress}`,
    )
    assert.ok(
      progress.every((value, index) => index === 0 || value >= (progress[index - 1] ?? 0)),
      `never goes back: ${progress}`,
    )
    await alice.page.getByText('Uploaded 100%').waitFor()
    await shot(alice.page, '04-upload-complete')

    const thumbnail = alice.page.getByRole('img', { name: 'Harbour sunset', exact: true })
    await thumbnail.waitFor()
    await eventually(
      () => naturalWidthOf(thumbnail),
      (width) => width === 150,
      'the thumbnail loaded',
    )
    await shot(alice.page, '05-thumbnail')

    await bob.page.getByText('New image: Harbour sunset').waitFor()
    await bob.page.getByRole('img', { name: 'Harbour sunset', exact: true }).waitFor()
    await shot(bob.page, '06-bob-sees-it-live-on-a-phone')

    await alice.page.getByRole('button', { name: 'Open Harbour sunset' }).click()
    const original = alice.page.getByRole('dialog').getByRole('img', { name: 'Harbour sunset' })
    await original.waitFor()
    await eventually(
      () => naturalWidthOf(original),
      (width) => width === 1600,
      'the original',
    )
    await alice.page.keyboard.press('Escape')
    await alice.page.getByRole('dialog').waitFor({ state: 'detached' })

    // The index follows the table through its stream: wait until the API finds it, then ask as a person.
    await eventually(
      async () => (await (await fetch(`${env.rest}/images/search?q=harbor`)).json()) as { total: number },
      (found) => found.total > 0,
      'the image in the search index',
    )
    await alice.page.getByLabel('Search images').fill('harbor')
    await alice.page.waitForURL(/\/search\?q=harbor$/)
    const highlighted = alice.page.locator('.result mark')
    await highlighted.first().waitFor()
    assert.equal(await highlighted.first().textContent(), 'Harbour', 'the misspelt word found, highlighted')
    await shot(alice.page, '07-search-with-a-typo')

    await alice.page.goto(groupUrl)
    await alice.page.locator('[data-live-status="live"]').waitFor()
    await alice.page
      .getByLabel('Choose images')
      .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') })
    await alice.page.getByText('text/plain is not accepted').waitFor()
    assert.equal(
      await alice.page.locator('[data-upload-status="rejected"] progress').count(),
      0,
      'refused before anything was sent',
    )
    await alice.page
      .getByLabel('Choose images')
      .setInputFiles({ name: 'Disguised.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('text in a .jpg') })
    const failedTile = alice.page.locator('li[data-status="failed"]')
    await failedTile.getByText('Failed', { exact: true }).waitFor()
    assert.match(String(await failedTile.textContent()), /Disguised/)
    await bob.page.locator('li[data-status="failed"]').waitFor()
    await shot(alice.page, '08-non-image-refused-and-failed')

    await uploadSpeed(alice.page, 20_000)
    await alice.page
      .getByLabel('Choose images')
      .setInputFiles({ name: 'Slow boat.jpg', mimeType: 'image/jpeg', buffer: jpeg })
    await alice.page.locator('[data-upload-status="uploading"]').waitFor()
    await alice.page.getByRole('img', { name: 'Slow boat: thumbnail on its way' }).waitFor()
    await alice.page.getByRole('button', { name: 'Cancel Slow boat.jpg' }).click()
    await alice.page.locator('[data-upload-status="cancelled"]').waitFor()
    await alice.page
      .getByRole('img', { name: 'Slow boat: thumbnail on its way' })
      .waitFor({ state: 'detached' })
    await uploadSpeed(alice.page, 'unlimited')
    const listed = (await (await fetch(`${env.rest}/groups/${groupIdOf(groupUrl)}/images`)).json()) as {
      items: Array<{ title: string }>
    }
    assert.deepEqual(listed.items.map((image) => image.title).sort(), ['Disguised', 'Harbour sunset'])
    await shot(alice.page, '09-upload-cancelled')

    await alice.page.getByRole('button', { name: 'Delete group' }).click()
    await alice.page.getByRole('alert').filter({ hasText: 'still has images' }).waitFor()
    await alice.page.getByRole('button', { name: 'Delete Harbour sunset' }).click()
    await alice.page.getByRole('button', { name: 'Delete Disguised' }).click()
    await alice.page.getByText('No images in this group yet.').waitFor()
    await shot(alice.page, '10-images-deleted')
    await bob.page.reload()
    await bob.page.getByText('No images in this group yet.').waitFor()
    await bob.page.getByRole('button', { name: 'Sign out' }).click()
    await bob.page.getByRole('button', { name: 'Sign in' }).waitFor()
    await bob.page.locator('[data-live-status="off"]').waitFor()
    const kept = await bob.page.evaluate(() =>
      Object.keys(sessionStorage).filter((key) => key.startsWith('oidc.user')),
    )
    assert.deepEqual(kept, [], 'signed out: no tokens kept')

    await alice.page.getByRole('button', { name: 'Delete group' }).click()
    await alice.page.getByRole('heading', { name: 'Groups', exact: true }).waitFor()
    assert.equal(await alice.page.getByRole('link', { name: 'Harbour walks' }).count(), 0)
    await shot(alice.page, '11-group-deleted')

    assert.deepEqual(pageErrors, [], 'no uncaught errors in the pages')
    await Promise.all([alice.context.close(), bob.context.close()])
  })
})
