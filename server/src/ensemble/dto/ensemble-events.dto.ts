import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { ACCOMPANIST_MODES, ACCOMPANIST_STYLE_NAMES, type AccompanistMode } from '../engine';
import { ENSEMBLE_LIMITS as L, INTERVAL_SETTINGS, MEMBER_ROLES, type IntervalSetting, type MemberRole } from '../ensemble.limits';

/** Payloads of the `/ensemble` Socket.IO events (docs/ensemble.md), validated like HTTP bodies. */

export const ROOM_CODE_PATTERN = /^[A-HJ-NP-Z2-9]{6}$/;

/** A room code as people type it: surrounding spaces and lower case are forgiven ("k7mz3q " is K7MZ3Q). */
export const RoomCode = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value));

export class ClockPingDto {
  @IsNumber({ allowNaN: false, allowInfinity: false })
  t0!: number;
}

/** Genres people ask for that the engine plays in one of its own styles. */
const STYLE_ALIASES: Record<string, string> = {
  blues: 'jazz',
  swing: 'jazz',
  bossa: 'jazz',
  'bossa nova': 'jazz',
  latin: 'jazz',
  soul: 'jazz',
  funk: 'electronic',
  disco: 'electronic',
  dance: 'electronic',
  edm: 'electronic',
  house: 'electronic',
  techno: 'electronic',
  metal: 'rock',
  punk: 'rock',
  country: 'folk',
  celtic: 'folk',
  baroque: 'classical',
  romantic: 'classical',
  piano: 'classical',
  film: 'cinematic',
  soundtrack: 'cinematic',
  chill: 'ambient',
  lofi: 'ambient',
  'lo-fi': 'ambient',
  'r&b': 'ballad',
  gufeng: 'chinese',
};

/**
 * A requested style as the engine names it: its own names in any letter case, common genres by their nearest style,
 * and anything else unknown as the default (pop); the room's state says which style plays. Over-long text is left to
 * the length check.
 */
export function accompanistStyle(requested: string): string {
  const name = requested.trim().toLowerCase();
  if (requested.length > L.styleMaxLength) return requested;
  if (ACCOMPANIST_STYLE_NAMES.includes(name)) return name;
  return STYLE_ALIASES[name] ?? 'pop';
}

export class AccompanistSettingsDto {
  @IsIn(ACCOMPANIST_MODES)
  mode!: AccompanistMode;

  /** One of the music engine's styles, as typed (any letter case); a genre it does not have is played in the nearest one. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? accompanistStyle(value) : value))
  @IsString()
  @MaxLength(L.styleMaxLength)
  @IsIn(ACCOMPANIST_STYLE_NAMES)
  style?: string;

  /** Follow the room's tempo, or the players' onsets. */
  @IsOptional()
  @IsIn(['room', 'players'])
  tempoSource?: 'room' | 'players';
}

export class CreateRoomDto {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(L.nameMaxLength)
  name?: string;

  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(L.minTempo)
  @Max(L.maxTempo)
  tempo?: number;

  @IsOptional()
  @IsInt()
  @Min(L.minQuantum)
  @Max(L.maxQuantum)
  quantum?: number;

  @IsOptional()
  @IsInt()
  @Min(L.minCapacity)
  @Max(L.maxCapacity)
  capacity?: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => AccompanistSettingsDto)
  accompanist?: AccompanistSettingsDto;

  /** Listed in the lobby (default true). */
  @IsOptional()
  @IsBoolean()
  open?: boolean;
}

export class MemberSettingsDto {
  /** Shown to the others (default: the part of the e-mail before @). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(L.nameMaxLength)
  name?: string;

  /** General MIDI program 0–127. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(127)
  instrument?: number;

  @IsOptional()
  @IsIn(MEMBER_ROLES)
  role?: MemberRole;
}

export class JoinRoomDto extends MemberSettingsDto {
  @RoomCode()
  @IsString()
  @Matches(ROOM_CODE_PATTERN, { message: 'code must be a 6-character room code' })
  code!: string;

  /** Resume this membership after a reconnect (the id the first join answered). */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  memberId?: string;
}

export class LeaveRoomDto {}

/** `auth:renew`: the connection's new access token (the client renews it before the one it connected with expires). */
export class RenewTokenDto {
  @IsString()
  @MinLength(1)
  @MaxLength(4096)
  token!: string;
}

export class UpdateMemberDto extends MemberSettingsDto {
  /** The client's measured round trip to the server (ms), shown to the others and used for interval mode. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(60_000)
  rttMs?: number;

  /** How much longer than usual the client's slow round trips take (ms; its clock estimate's jitterMs): widens the room's play-out delay. */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(60_000)
  jitterMs?: number;

  /**
   * How late the live members' notes reach this client (ms): the 95th percentile of their one-way delays, arrival
   * minus the note's shared-clock time, over the client's recent notes. The room's play-out delay covers it.
   */
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(60_000)
  noteDelayMs?: number;
}

export class NoteDto {
  @IsIn(['on', 'off'])
  type!: 'on' | 'off';

  @IsInt()
  @Min(0)
  @Max(127)
  pitch!: number;

  @IsInt()
  @Min(0)
  @Max(127)
  velocity!: number;

  /** Shared-clock ms. */
  @IsNumber({ allowNaN: false, allowInfinity: false })
  time!: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(15)
  channel?: number;
}

export class UpdateRoomDto {
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(L.minTempo)
  @Max(L.maxTempo)
  tempo?: number;

  @IsOptional()
  @IsInt()
  @Min(L.minQuantum)
  @Max(L.maxQuantum)
  quantum?: number;

  @IsOptional()
  @IsBoolean()
  metronome?: boolean;

  @IsOptional()
  @ValidateNested()
  @Type(() => AccompanistSettingsDto)
  accompanist?: AccompanistSettingsDto;

  /** auto: members whose round trip is too high play one interval late; room: everyone does; off: never. */
  @IsOptional()
  @IsIn(INTERVAL_SETTINGS)
  interval?: IntervalSetting;
}

export class RecordDto {
  @IsIn(['start', 'stop'])
  action!: 'start' | 'stop';
}
