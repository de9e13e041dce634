import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

/** The longest password accepted (at sign-up, login and for ADMIN_PASSWORD). */
export const PASSWORD_MAX_LENGTH = 128;

const normaliseEmail = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class CredentialsDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254 })
  @Transform(normaliseEmail)
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'correct horse battery staple', minLength: 8, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @MinLength(8, { message: 'password must be at least 8 characters long' })
  @MaxLength(PASSWORD_MAX_LENGTH)
  password!: string;
}

export class RefreshTokenDto {
  @ApiProperty({ example: 'k3Jr2m1c0b9Qz8v7t6s5r4q3p2o1n0m9l8k7j6i5h4g', description: 'The refresh token from login' })
  @IsString()
  @MinLength(20)
  @MaxLength(200)
  refreshToken!: string;
}

export class UserDto {
  @ApiProperty({ example: '5f0c8a4e-6e0b-4f3c-9a52-2b1d7c0e9f11', format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'ada@example.com' })
  email!: string;

  @ApiProperty({ enum: ['user', 'admin'], example: 'user' })
  role!: 'user' | 'admin';
}

export class TokenPairDto {
  @ApiProperty({ description: 'Short-lived JWT for the Authorization: Bearer header', example: 'eyJhbGciOiJIUzI1NiJ9…' })
  accessToken!: string;

  @ApiProperty({ description: 'Opaque single-use token for POST /api/auth/refresh', example: 'k3Jr2m1c0b9Qz8v7t6s5r4q3p2o1n0m9l8k7j6i5h4g' })
  refreshToken!: string;

  @ApiProperty({ description: 'Access-token lifetime in seconds', example: 900 })
  expiresIn!: number;

  @ApiProperty({ type: UserDto })
  user!: UserDto;
}
