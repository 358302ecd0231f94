#!/usr/bin/python3
"""Phone-like camera frames of a printed credential's QR code, for measuring QR decoders: easy, medium, hard and night.

Usage: make_field_set.py QR_PNG OUT_DIR [--per-level N] [--seed S] [--scale PX_PER_MODULE]
                         [--reference-modules M] [--levels LEVEL,...]

Writes OUT_DIR/<level>-<nn>.jpg (1280x720) and OUT_DIR/manifest.json listing each frame with the conditions it
was made under. The same QR_PNG, seed and library versions always give the same frames.

A frame is a card (white paper, the code, lines of print) lying on a table, seen by a pinhole camera rolled,
pitched and yawed against the card, then: uneven light (a gradient and often a soft shadow edge), low
contrast (a weak exposure with lifted blacks), focus blur, sensor noise and JPEG compression. Each level draws
those conditions from its own ranges; the hard level is meant to defeat most readers on most frames. The night
level is a post after dark: low light and high sensor gain, and the phone's torch reflected off the card as a
bright spot that wipes out the modules under it, which only the code's error correction can make up for.

A level's module size is that of a code of M modules, quiet zone included (--reference-modules; by default QR_PNG's
own count), printed in the same box: a card prints its code in a box of fixed size, so a code of fewer modules has
larger modules, and one printed smaller has smaller ones.
"""

import argparse
import io
import json
import math
import os

import numpy as np
from PIL import Image, ImageFilter

WIDTH, HEIGHT = 1280, 720
FOCAL = 1100.0  # pixels: about a 60-degree horizontal field of view, like a phone's main camera

# Each level's ranges; a value is drawn uniformly from (low, high).
LEVELS = {
    'easy': {
        'module_px': (5.0, 7.5),  # size of one QR module in the frame, at the code's centre
        'roll': (-20.0, 20.0),  # degrees, in the image plane
        'tilt': (0.0, 8.0),  # degrees the card leans away from the camera
        'gradient': (0.05, 0.25),  # light falls by this fraction across the frame
        'shadow': (0.0, 0.0),  # chance of a shadow edge over the code
        'shadow_depth': (0.0, 0.0),
        'contrast': (0.8, 1.0),  # fraction of the full white-black range the print spans
        'blur': (0.0, 0.8),  # Gaussian sigma, pixels
        'noise': (1.5, 4.0),  # sensor noise sigma, 8-bit levels
        'quality': (70, 80),
    },
    'medium': {
        'module_px': (4.0, 5.5),
        'roll': (-180.0, 180.0),
        'tilt': (3.0, 8.0),
        'gradient': (0.2, 0.45),
        'shadow': (0.5, 0.5),
        'shadow_depth': (0.25, 0.45),
        'contrast': (0.6, 0.85),
        'blur': (0.5, 1.0),
        'noise': (2.5, 4.0),
        'quality': (50, 70),
    },
    'hard': {
        'module_px': (2.8, 4.2),
        'roll': (-180.0, 180.0),
        'tilt': (12.0, 35.0),
        'gradient': (0.35, 0.6),
        'shadow': (0.7, 0.7),
        'shadow_depth': (0.35, 0.55),
        'contrast': (0.4, 0.6),
        'blur': (0.9, 1.5),
        'noise': (6.0, 10.0),
        'quality': (35, 55),
    },
    'night': {
        'module_px': (3.5, 5.0),
        'roll': (-180.0, 180.0),
        'tilt': (2.0, 12.0),  # the torch glares back when the card faces the phone
        'gradient': (0.3, 0.5),  # the torch lights the middle of the frame more than the edges
        'shadow': (0.0, 0.0),
        'shadow_depth': (0.0, 0.0),
        'contrast': (0.45, 0.65),
        'blur': (0.7, 1.2),  # a longer exposure in a hand
        'noise': (5.0, 9.0),
        'quality': (40, 60),
        'glare': (1.0, 2.0),  # peak of the torch's reflection, in full whites added on top of the print
        'glare_radius': (0.06, 0.12),  # its Gaussian sigma, as a fraction of the code's side
    },
}


def uniform(rng, bounds):
    low, high = bounds
    return float(rng.uniform(low, high)) if high > low else float(low)


def card_image(qr, rng):
    """The printed pass: off-white paper, the code on the right, lines of print on the left, slight dot gain."""
    q = qr.shape[0]
    card_h = int(q * 1.35)
    card_w = int(q * 2.3)
    paper = np.array([246.0, 242.0, 230.0]) * rng.uniform(0.97, 1.0)
    card = np.ones((card_h, card_w, 3), np.float32) * paper
    # Paper fibre: faint low-amplitude noise, smoothed so it is texture rather than grain.
    fibre = Image.fromarray((rng.normal(128, 40, (card_h // 4, card_w // 4))).clip(0, 255).astype(np.uint8))
    fibre = np.asarray(fibre.resize((card_w, card_h), Image.BILINEAR), np.float32) - 128
    card += fibre[..., None] * 0.06
    ink = np.array([32.0, 30.0, 38.0])
    top = (card_h - q) // 2
    left = card_w - q - int(q * 0.1)
    dark = qr < 128
    region = card[top : top + q, left : left + q]
    region[dark] = ink
    # Lines of print: name, father's name, CNIC, dates, as dark bars of varying length.
    line_h = max(4, q // 22)
    y = top + line_h
    while y + line_h < top + q:
        length = int(rng.uniform(0.35, 0.95) * (left - 2 * line_h))
        card[y : y + line_h, line_h : line_h + length] = ink
        y += int(line_h * 2.6)
    # Print spreads a little: soften the card at about a third of a module.
    image = Image.fromarray(card.clip(0, 255).astype(np.uint8))
    return np.asarray(image.filter(ImageFilter.GaussianBlur(0.6)), np.float32)


def table_background(rng):
    """A table top: a base colour, large soft blotches and faint grain in one direction, like wood or cloth."""
    base = rng.choice(np.array([[120.0, 90.0, 60.0], [95.0, 95.0, 100.0], [150.0, 130.0, 100.0], [60.0, 70.0, 80.0]]))
    blotch = Image.fromarray(rng.normal(128, 50, (9, 16)).clip(0, 255).astype(np.uint8))
    blotch = np.asarray(blotch.resize((WIDTH, HEIGHT), Image.BICUBIC), np.float32) - 128
    grain = Image.fromarray(rng.normal(128, 50, (HEIGHT, 40)).clip(0, 255).astype(np.uint8))
    grain = np.asarray(grain.resize((WIDTH, HEIGHT), Image.BILINEAR), np.float32) - 128
    return (base + (0.25 * blotch + 0.12 * grain)[..., None]).astype(np.float32)


def rotation(roll, tilt, tilt_dir):
    """Card-to-camera rotation: lean the card by `tilt` about an axis at `tilt_dir`, then roll it in the image."""
    t = math.radians(tilt)
    d = math.radians(tilt_dir)
    axis = np.array([math.cos(d), math.sin(d), 0.0])
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    lean = np.eye(3) + math.sin(t) * k + (1 - math.cos(t)) * (k @ k)
    r = math.radians(roll)
    spin = np.array([[math.cos(r), -math.sin(r), 0], [math.sin(r), math.cos(r), 0], [0, 0, 1]])
    return lean @ spin


def homography(src, dst):
    """The 3x3 projective map taking the four `src` points onto the four `dst` points."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(src, dst):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    h = np.linalg.solve(np.array(rows, float), np.array(rhs, float))
    return np.append(h, 1.0).reshape(3, 3)


def place_card(card, qr_side, params, rng):
    """Projects the card into the frame; returns its pixels, its coverage mask and where the code's centre landed."""
    card_h, card_w = card.shape[:2]
    module_px_on_card = qr_side / params['modules']
    # Distance at which one module spans module_px pixels at the centre of the frame.
    depth = FOCAL * module_px_on_card / params['module_px']
    rot = rotation(params['roll'], params['tilt'], params['tilt_dir'])
    qr_centre = np.array([card_w - qr_side / 2 - qr_side * 0.1, card_h / 2])

    def project(point, aim):
        local = np.array([point[0] - qr_centre[0], point[1] - qr_centre[1], 0.0])
        world = rot @ local + np.array([0.0, 0.0, depth])
        return aim + FOCAL * world[:2] / world[2]

    # The code sits off-centre, as when an officer aims roughly, but whole in the frame with its quiet zone:
    # pull it towards the centre until it fits.
    half = qr_side / 2
    qr_corners = [qr_centre + np.array([dx, dy]) for dx in (-half, half) for dy in (-half, half)]
    shift = np.array([params['offset_x'] * WIDTH * 0.3, params['offset_y'] * HEIGHT * 0.3])
    for _ in range(30):
        aim = np.array([WIDTH / 2, HEIGHT / 2]) + shift
        points = np.array([project(c, aim) for c in qr_corners])
        if points.min() >= 4 and (points[:, 0] <= WIDTH - 4).all() and (points[:, 1] <= HEIGHT - 4).all():
            break
        shift *= 0.8

    corners = [(0, 0), (card_w, 0), (card_w, card_h), (0, card_h)]
    # PIL's perspective transform maps each output pixel back to the input, so solve frame -> card.
    to_card = homography([project(c, aim) for c in corners], corners)
    coeffs = (to_card / to_card[2, 2]).flatten()[:8]
    image = Image.fromarray(card.clip(0, 255).astype(np.uint8))
    warped = np.asarray(image.transform((WIDTH, HEIGHT), Image.PERSPECTIVE, coeffs, Image.BICUBIC), np.float32)
    mask_image = Image.new('L', (card_w, card_h), 255)
    mask = np.asarray(mask_image.transform((WIDTH, HEIGHT), Image.PERSPECTIVE, coeffs, Image.BILINEAR), np.float32)
    return warped, mask / 255.0, aim, points


def lighting(aim, params, rng):
    """Illumination over the frame: a linear fall-off in a random direction and perhaps a soft shadow edge."""
    ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    angle = rng.uniform(0, 2 * math.pi)
    ramp = ((xs - WIDTH / 2) * math.cos(angle) + (ys - HEIGHT / 2) * math.sin(angle)) / WIDTH
    light = 1.0 - params['gradient'] * (ramp + 0.5)
    if params['shadow_depth'] > 0:
        # A hand's or a cap's shadow: a soft-edged half plane whose edge crosses near the code's centre.
        edge_angle = rng.uniform(0, 2 * math.pi)
        offset = rng.uniform(-40, 40)
        distance = (xs - aim[0]) * math.cos(edge_angle) + (ys - aim[1]) * math.sin(edge_angle) - offset
        softness = rng.uniform(4, 14)
        shade = 0.5 + 0.5 * np.tanh(distance / (2 * softness))
        light *= 1.0 - params['shadow_depth'] * shade
    return light.astype(np.float32)


def torch_glare(corners, params, rng):
    """The torch's reflection off the card: a Gaussian spot somewhere over the code, in whites added to the frame."""
    centre = corners.mean(axis=0)
    side = math.sqrt(abs(np.cross(corners[3] - corners[0], corners[1] - corners[2]))) / math.sqrt(2)
    at = centre + rng.uniform(-0.3, 0.3, 2) * side
    sigma = params['glare_radius'] * side
    ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    spot = np.exp(-((xs - at[0]) ** 2 + (ys - at[1]) ** 2) / (2 * sigma * sigma))
    return (params['glare'] * 255 * spot).astype(np.float32)


def make_frame(qr, scale, level, index, seed, reference_modules):
    rng = np.random.default_rng([seed, list(LEVELS).index(level), index])
    ranges = LEVELS[level]
    params = {name: uniform(rng, bounds) for name, bounds in ranges.items()}
    params['quality'] = int(round(params['quality']))
    params['tilt_dir'] = float(rng.uniform(0, 360))
    params['offset_x'] = float(rng.uniform(-1, 1))
    params['offset_y'] = float(rng.uniform(-1, 1))
    params['modules'] = qr.shape[0] / scale
    # The ranges hold for a code of reference_modules printed in the same box.
    params['module_px'] *= (reference_modules or params['modules']) / params['modules']
    if rng.uniform() >= ranges['shadow'][0]:
        params['shadow_depth'] = 0.0

    card = card_image(qr, rng)
    warped, mask, aim, corners = place_card(card, qr.shape[0], params, rng)
    scene = table_background(rng) * (1 - mask[..., None]) + warped * mask[..., None]
    scene *= lighting(aim, params, rng)[..., None]

    # Optics before the sensor: the whole scene is out of focus by the same amount.
    image = Image.fromarray(scene.clip(0, 255).astype(np.uint8))
    if params['blur'] > 0:
        image = image.filter(ImageFilter.GaussianBlur(params['blur']))
    frame = np.asarray(image, np.float32)

    # A weak exposure: the print spans only part of the range, with the blacks lifted off zero.
    black = (1 - params['contrast']) * rng.uniform(0.35, 0.65) * 255
    frame = np.float32(black) + frame * np.float32(params['contrast'])
    if params.get('glare', 0) > 0:
        # Reflected, not printed: it rides on top of the exposure and clips the sensor where it is strongest.
        frame += torch_glare(corners, params, rng)[..., None]
    # Sensor noise: mostly luminance, a little colour, stronger in the shadows as on a small sensor.
    luminance = rng.standard_normal((HEIGHT, WIDTH, 1), dtype=np.float32) * params['noise']
    colour = rng.standard_normal((HEIGHT, WIDTH, 3), dtype=np.float32) * (params['noise'] * 0.4)
    frame += (luminance + colour) * (1.3 - frame * (0.6 / 255))

    out = io.BytesIO()
    Image.fromarray(frame.clip(0, 255).round().astype(np.uint8)).save(out, 'JPEG', quality=params['quality'])
    return out.getvalue(), params


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('qr_png')
    parser.add_argument('out_dir')
    parser.add_argument('--per-level', type=int, default=30)
    parser.add_argument('--seed', type=int, default=2026)
    parser.add_argument('--scale', type=int, default=6, help='pixels per module in QR_PNG')
    parser.add_argument('--reference-modules', type=float, default=0, help='modules across the print box (quiet zone included) the ranges are for')
    parser.add_argument('--levels', default=','.join(LEVELS), help='comma-separated levels to make')
    args = parser.parse_args()
    levels = args.levels.split(',')
    unknown = [level for level in levels if level not in LEVELS]
    if unknown:
        parser.error(f'unknown level {unknown[0]}: one of {", ".join(LEVELS)}')

    qr = np.asarray(Image.open(args.qr_png).convert('L'))
    os.makedirs(args.out_dir, exist_ok=True)
    frames = []
    for level in levels:
        for index in range(args.per_level):
            data, params = make_frame(qr, args.scale, level, index, args.seed, args.reference_modules)
            name = f'{level}-{index:02d}.jpg'
            with open(os.path.join(args.out_dir, name), 'wb') as file:
                file.write(data)
            frames.append({'file': name, 'level': level, **{k: round(v, 3) for k, v in params.items()}})
    with open(os.path.join(args.out_dir, 'manifest.json'), 'w') as file:
        json.dump({'width': WIDTH, 'height': HEIGHT, 'seed': args.seed, 'frames': frames}, file, indent=1)


if __name__ == '__main__':
    main()
