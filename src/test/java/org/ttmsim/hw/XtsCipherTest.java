package org.ttmsim.hw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ttmsim.hw.TestMachines.hex;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tests {@link XtsCipher} against the IEEE 1619-2007 (XTS-AES) Annex B test vectors. Vectors 1-3 are
 * 32-byte data units; vectors 4-9 are 512-byte data units (32 blocks, so the tweak runs through 31
 * multiplications by alpha in GF(2^128)) with sector-number tweaks 0, 1, 2, 0xfd, 0xfe, 0xff, and each
 * one's plaintext is the previous one's ciphertext; vector 10 is the AES-256 variant of vector 4 at
 * tweak 0xff. Vectors 15-18 need ciphertext stealing, which the model (64-byte lines) does not do.
 */
class XtsCipherTest {

    /** One IEEE 1619-2007 vector: data unit = the whole plaintext, tweak = the data unit sequence number. */
    record Vector(String description, String key1, String key2, long tweak, String ptx, String ctx) {
        @Override
        public String toString() {
            return description;
        }
    }

    private static final String K4_1 = "27182818284590452353602874713526";
    private static final String K4_2 = "31415926535897932384626433832795";
    private static final String P4 = sequence256() + sequence256();

    private static final String C4 = ""
            + "27a7479befa1d476489f308cd4cfa6e2a96e4bbe3208ff25287dd3819616e89cc78cf7f5e543445f8333d8fa7f560000"
            + "05279fa5d8b5e4ad40e736ddb4d35412328063fd2aab53e5ea1e0a9f332500a5df9487d07a5c92cc512c8866c7e860ce"
            + "93fdf166a24912b422976146ae20ce846bb7dc9ba94a767aaef20c0d61ad02655ea92dc4c4e41a8952c651d33174be51"
            + "a10c421110e6d81588ede82103a252d8a750e8768defffed9122810aaeb99f9172af82b604dc4b8e51bcb08235a6f434"
            + "1332e4ca60482a4ba1a03b3e65008fc5da76b70bf1690db4eae29c5f1badd03c5ccf2a55d705ddcd86d449511ceb7ec3"
            + "0bf12b1fa35b913f9f747a8afd1b130e94bff94effd01a91735ca1726acd0b197c4e5b03393697e126826fb6bbde8ecc"
            + "1e08298516e2c9ed03ff3c1b7860f6de76d4cecd94c8119855ef5297ca67e9f3e7ff72b1e99785ca0a7e7720c5b36dc6"
            + "d72cac9574c8cbbc2f801e23e56fd344b07f22154beba0f08ce8891e643ed995c94d9a69c9f1b5f499027a78572aeebd"
            + "74d20cc39881c213ee770b1010e4bea718846977ae119f7a023ab58cca0ad752afe656bb3c17256a9f6e9bf19fdd5a38"
            + "fc82bbe872c5539edb609ef4f79c203ebb140f2e583cb2ad15b4aa5b655016a8449277dbd477ef2c8d6c017db738b18d"
            + "eb4a427d1923ce3ff262735779a418f20a282df920147beabe421ee5319d0568";
    private static final String C5 = ""
            + "264d3ca8512194fec312c8c9891f279fefdd608d0c027b60483a3fa811d65ee59d52d9e40ec5672d81532b38b6b089ce"
            + "951f0f9c35590b8b978d175213f329bb1c2fd30f2f7f30492a61a532a79f51d36f5e31a7c9a12c286082ff7d2394d18f"
            + "783e1a8e72c722caaaa52d8f065657d2631fd25bfd8e5baad6e527d763517501c68c5edc3cdd55435c532d7125c8614d"
            + "eed9adaa3acade5888b87bef641c4c994c8091b5bcd387f3963fb5bc37aa922fbfe3df4e5b915e6eb514717bdd2a7407"
            + "9a5073f5c4bfd46adf7d282e7a393a52579d11a028da4d9cd9c77124f9648ee383b1ac763930e7162a8d37f350b2f74b"
            + "8472cf09902063c6b32e8c2d9290cefbd7346d1c779a0df50edcde4531da07b099c638e83a755944df2aef1aa31752fd"
            + "323dcb710fb4bfbb9d22b925bc3577e1b8949e729a90bbafeacf7f7879e7b1147e28ba0bae940db795a61b15ecf4df8d"
            + "b07b824bb062802cc98a9545bb2aaeed77cb3fc6db15dcd7d80d7d5bc406c4970a3478ada8899b329198eb61c193fb62"
            + "75aa8ca340344a75a862aebe92eee1ce032fd950b47d7704a3876923b4ad62844bf4a09c4dbe8b4397184b7471360c95"
            + "64880aedddb9baa4af2e75394b08cd32ff479c57a07d3eab5d54de5f9738b8d27f27a9f0ab11799d7b7ffefb2704c95c"
            + "6ad12c39f1e867a4b7b1d7818a4b753dfd2a89ccb45e001a03a867b187f225dd";
    private static final String C6 = ""
            + "fa762a3680b76007928ed4a4f49a9456031b704782e65e16cecb54ed7d017b5e18abd67b338e81078f21edb7868d901e"
            + "be9c731a7c18b5e6dec1d6a72e078ac9a4262f860beefa14f4e821018272e411a951502b6e79066e84252c3346f3aa62"
            + "344351a291d4bedc7a07618bdea2af63145cc7a4b8d4070691ae890cd65733e7946e9021a1dffc4c59f159425ee6d50c"
            + "a9b135fa6162cea18a939838dc000fb386fad086acce5ac07cb2ece7fd580b00cfa5e98589631dc25e8e2a3daf2ffdec"
            + "26531659912c9d8f7a15e5865ea8fb5816d6207052bd7128cd743c12c8118791a4736811935eb982a532349e31dd401e"
            + "0b660a568cb1a4711f552f55ded59f1f15bf7196b3ca12a91e488ef59d64f3a02bf45239499ac6176ae321c4a211ec54"
            + "5365971c5d3f4f09d4eb139bfdf2073d33180b21002b65cc9865e76cb24cd92c874c24c18350399a936ab3637079295d"
            + "76c417776b94efce3a0ef7206b15110519655c956cbd8b2489405ee2b09a6b6eebe0c53790a12a8998378b33a5b71159"
            + "625f4ba49d2a2fdba59fbf0897bc7aabd8d707dc140a80f0f309f835d3da54ab584e501dfa0ee977fec543f74186a802"
            + "b9a37adb3e8291eca04d66520d229e60401e7282bef486ae059aa70696e0e305d777140a7a883ecdcb69b9ff938e8a42"
            + "31864c69ca2c2043bed007ff3e605e014bcf518138dc3a25c5e236171a2d01d6";
    private static final String P7 = ""
            + "8e41b78c390b5af9d758bb214a67e9f6bf7727b09ac6124084c37611398fa45daad94868600ed391fb1acd4857a95b46"
            + "6e62ef9f4b377244d1c152e7b30d731aad30c716d214b707aed99eb5b5e580b3e887cf7497465651d4b60e6042051da3"
            + "693c3b78c14489543be8b6ad0ba629565bba202313ba7b0d0c94a3252b676f46cc02ce0f8a7d34c0ed229129673c1f61"
            + "aed579d08a9203a25aac3a77e9db60267996db38df637356d9dcd1632e369939f2a29d89345c66e05066f1a3677aef18"
            + "dea4113faeb629e46721a66d0a7e785d3e29af2594eb67dfa982affe0aac058f6e15864269b135418261fc3afb089472"
            + "cf68c45dd7f231c6249ba0255e1e033833fc4d00a3fe02132d7bc3873614b8aee34273581ea0325c81f0270affa13641"
            + "d052d36f0757d484014354d02d6883ca15c24d8c3956b1bd027bcf41f151fd8023c5340e5606f37e90fdb87c86fb4fa6"
            + "34b3718a30bace06a66eaf8f63c4aa3b637826a87fe8cfa44282e92cb1615af3a28e53bc74c7cba1a0977be9065d0c1a"
            + "5dec6c54ae38d37f37aa35283e048e5530a85c4e7a29d7b92ec0c3169cdf2a805c7604bce60049b9fb7b8eaac10f51ae"
            + "23794ceba68bb58112e293b9b692ca721b37c662f8574ed4dba6f88e170881c82cddc1034a0ca7e284bf0962b6b26292"
            + "d836fa9f73c1ac770eef0f2d3a1eaf61d3e03555fd424eedd67e18a18094f888";
    private static final String C7 = ""
            + "d55f684f81f4426e9fde92a5ff02df2ac896af63962888a97910c1379e20b0a3b1db613fb7fe2e07004329ea5c22bfd3"
            + "3e3dbe4cf58cc608c2c26c19a2e2fe22f98732c2b5cb844cc6c0702d91e1d50fc4382a7eba5635cd602432a2306ac4ce"
            + "82f8d70c8d9bc15f918fe71e74c622d5cf71178bf6e0b9cc9f2b41dd8dbe441c41cd0c73a6dc47a348f6702f9d0e9b1b"
            + "1431e948e299b9ec2272ab2c5f0c7be86affa5dec87a0bee81d3d50007edaa2bcfccb35605155ff36ed8edd4a40dcd4b"
            + "243acd11b2b987bdbfaf91a7cac27e9c5aea525ee53de7b2d3332c8644402b823e94a7db26276d2d23aa07180f76b4fd"
            + "29b9c0823099c9d62c519880aee7e9697617c1497d47bf3e571950311421b6b734d38b0db91eb85331b91ea9f61530f5"
            + "4512a5a52a4bad589eb69781d537f23297bb459bdad2948a29e1550bf4787e0be95bb173cf5fab17dab7a13a052a6345"
            + "3d97ccec1a321954886b7a1299faaeecae35c6eaaca753b041b5e5f093bf83397fd21dd6b3012066fcc058cc32c3b09d"
            + "7562dee29509b5839392c9ff05f51f3166aaac4ac5f238038a3045e6f72e48ef0fe8bc675e82c318a268e43970271bf1"
            + "19b81bf6a982746554f84e72b9f00280a320a08142923c23c883423ff949827f29bbacdc1ccdb04938ce6098c95ba6b3"
            + "2528f4ef78eed778b2e122ddfd1cbdd11d1c0a6783e011fc536d63d053260637";
    private static final String C8 = ""
            + "72efc1ebfe1ee25975a6eb3aa8589dda2b261f1c85bdab442a9e5b2dd1d7c3957a16fc08e526d4b1223f1b1232a11af2"
            + "74c3d70dac57f83e0983c498f1a6f1aecb021c3e70085a1e527f1ce41ee5911a82020161529cd82773762daf5459de94"
            + "a0a82adae7e1703c808543c29ed6fb32d9e004327c1355180c995a07741493a09c21ba01a387882da4f62534b87bb15d"
            + "60d197201c0fd3bf30c1500a3ecfecdd66d8721f90bcc4c17ee925c61b0a03727a9c0d5f5ca462fbfa0af1c2513a9d9d"
            + "4b5345bd27a5f6e653f751693e6b6a2b8ead57d511e00e58c45b7b8d005af79288f5c7c22fd4f1bf7a898b03a5634c6a"
            + "1ae3f9fae5de4f296a2896b23e7ed43ed14fa5a2803f4d28f0d3ffcf24757677aebdb47bb388378708948a8d4126ed18"
            + "39e0da29a537a8c198b3c66ab00712dd261674bf45a73d67f76914f830ca014b65596f27e4cf62de66125a5566df9975"
            + "155628b400fbfb3a29040ed50faffdbb18aece7c5c44693260aab386c0a37b11b114f1c415aebb653be468179428d43a"
            + "4d8bc3ec38813eca30a13cf1bb18d524f1992d44d8b1a42ea30b22e6c95b199d8d182f8840b09d059585c31ad691fa06"
            + "19ff038aca2c39a943421157361717c49d322028a74648113bd8c9d7ec77cf3c89c1ec8718ceff8516d96b34c3c614f1"
            + "0699c9abc4ed0411506223bea16af35c883accdbe1104eef0cfdb54e12fb230a";
    private static final String C9 = ""
            + "3260ae8dad1f4a32c5cafe3ab0eb95549d461a67ceb9e5aa2d3afb62dece0553193ba50c75be251e08d1d08f1088576c"
            + "7efdfaaf3f459559571e12511753b07af073f35da06af0ce0bbf6b8f5ccc5cea500ec1b211bd51f63b606bf6528796ca"
            + "12173ba39b8935ee44ccce646f90a45bf9ccc567f0ace13dc2d53ebeedc81f58b2e41179dddf0d5a5c42f5d8506c1a5d"
            + "2f8f59f3ea873cbcd0eec19acbf325423bd3dcb8c2b1bf1d1eaed0eba7f0698e4314fbeb2f1566d1b9253008cbccf45a"
            + "2b0d9c5c9c21474f4076e02be26050b99dee4fd68a4cf890e496e4fcae7b70f94ea5a9062da0daeba1993d2ccd1dd3c2"
            + "44b8428801495a58b216547e7e847c46d1d756377b6242d2e5fb83bf752b54e0df71e889f3a2bb0f4c10805bf3c59037"
            + "6e3c24e22ff57f7fa965577375325cea5d920db94b9c336b455f6e894c01866fe9fbb8c8d3f70a2957285f6dfb5dcd8c"
            + "bf54782f8fe7766d4723819913ac773421e3a31095866bad22c86a6036b2518b2059b4229d18c8c2ccbdf906c6cc6e82"
            + "464ee57bddb0bebcb1dc645325bfb3e665ef7251082c88ebb1cf203bd779fdd38675713c8daadd17e1cabee432b09787"
            + "b6ddf3304e38b731b45df5df51b78fcfb3d32466028d0ba36555e7e11ab0ee0666061d1645d962444bc47a38188930a8"
            + "4b4d561395c73c087021927ca638b7afc8a8679ccb84c26555440ec7f10445cd";
    private static final String C10 = ""
            + "1c3b3a102f770386e4836c99e370cf9bea00803f5e482357a4ae12d414a3e63b5d31e276f8fe4a8d66b317f9ac683f44"
            + "680a86ac35adfc3345befecb4bb188fd5776926c49a3095eb108fd1098baec70aaa66999a72a82f27d848b21d4a741b0"
            + "c5cd4d5fff9dac89aeba122961d03a757123e9870f8acf1000020887891429ca2a3e7a7d7df7b10355165c8b9a6d0a7d"
            + "e8b062c4500dc4cd120c0f7418dae3d0b5781c34803fa75421c790dfe1de1834f280d7667b327f6c8cd7557e12ac3a0f"
            + "93ec05c52e0493ef31a12d3d9260f79a289d6a379bc70c50841473d1a8cc81ec583e9645e07b8d9670655ba5bbcfecc6"
            + "dc3966380ad8fecb17b6ba02469a020a84e18e8f84252070c13e9f1f289be54fbc481457778f616015e1327a02b140f1"
            + "505eb309326d68378f8374595c849d84f4c333ec4423885143cb47bd71c5edae9be69a2ffeceb1bec9de244fbe15992b"
            + "11b77c040f12bd8f6a975a44a0f90c29a9abc3d4d893927284c58754cce294529f8614dcd2aba991925fedc4ae74ffac"
            + "6e333b93eb4aff0479da9a410e4450e0dd7ae4c6e2910900575da401fc07059f645e8b7e9bfdef33943054ff84011493"
            + "c27b3429eaedb4ed5376441a77ed43851ad77f16f541dfd269d50d6a5f14fb0aab1cbb4c1550be97f7ab4066193c4caa"
            + "773dad38014bd2092fa755c824bb5e54c4f36ffda9fcea70b9c6e693e148c151";

    static Stream<Vector> ieee1619Vectors() {
        return Stream.of(
                new Vector("XTS-AES-128 vector 1: zero keys, tweak 0", "00000000000000000000000000000000",
                        "00000000000000000000000000000000", 0,
                        "0000000000000000000000000000000000000000000000000000000000000000",
                        "917cf69ebd68b2ec9b9fe9a3eadda692cd43d2f59598ed858c02c2652fbf922e"),
                new Vector("XTS-AES-128 vector 2: tweak 0x3333333333", "11111111111111111111111111111111",
                        "22222222222222222222222222222222", 0x3333333333L,
                        "4444444444444444444444444444444444444444444444444444444444444444",
                        "c454185e6a16936e39334038acef838bfb186fff7480adc4289382ecd6d394f0"),
                new Vector("XTS-AES-128 vector 3: tweak 0x3333333333", "fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0",
                        "22222222222222222222222222222222", 0x3333333333L,
                        "4444444444444444444444444444444444444444444444444444444444444444",
                        "af85336b597afc1a900b2eb21ec949d292df4c047e0b21532186a5971a227a89"),
                new Vector("XTS-AES-128 vector 4: 512-byte unit, sector 0", K4_1, K4_2, 0, P4, C4),
                new Vector("XTS-AES-128 vector 5: 512-byte unit, sector 1", K4_1, K4_2, 1, C4, C5),
                new Vector("XTS-AES-128 vector 6: 512-byte unit, sector 2", K4_1, K4_2, 2, C5, C6),
                new Vector("XTS-AES-128 vector 7: 512-byte unit, sector 0xfd", K4_1, K4_2, 0xfd, P7, C7),
                new Vector("XTS-AES-128 vector 8: 512-byte unit, sector 0xfe", K4_1, K4_2, 0xfe, C7, C8),
                new Vector("XTS-AES-128 vector 9: 512-byte unit, sector 0xff", K4_1, K4_2, 0xff, C8, C9),
                new Vector("XTS-AES-256 vector 10: 512-byte unit, sector 0xff",
                        "2718281828459045235360287471352662497757247093699959574966967627",
                        "3141592653589793238462643383279502884197169399375105820974944592", 0xff, P4, C10));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ieee1619Vectors")
    void shouldProduceIeeeCiphertextWhenEncryptingIeeeVector(final Vector v) {
        final byte[] ptx = hex(v.ptx());
        final byte[] out = new byte[ptx.length];

        new XtsCipher(hex(v.key1()), hex(v.key2())).encrypt(ptx, 0, out, 0, ptx.length, 1, v.tweak(), 0);

        assertThat(hex(out)).isEqualTo(v.ctx());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ieee1619Vectors")
    void shouldRecoverIeeePlaintextWhenDecryptingIeeeVector(final Vector v) {
        final byte[] ctx = hex(v.ctx());
        final byte[] out = new byte[ctx.length];

        new XtsCipher(hex(v.key1()), hex(v.key2())).decrypt(ctx, 0, out, 0, ctx.length, 1, v.tweak(), 0);

        assertThat(hex(out)).isEqualTo(v.ptx());
    }

    @Test
    void shouldMatchVectorsFourToSixWhenThreeUnitsAreEncryptedInOneCall() {
        final byte[] ptx = hex(P4 + C4 + C5);
        final byte[] out = new byte[ptx.length];

        new XtsCipher(hex(K4_1), hex(K4_2)).encrypt(ptx, 0, out, 0, 512, 3, 0, 1);

        assertThat(hex(out)).isEqualTo(C4 + C5 + C6);
    }

    @Test
    void shouldMatchVectorsSevenToNineWhenThreeUnitsStartAtTweak0xfd() {
        final byte[] ctx = hex(C7 + C8 + C9);
        final byte[] out = new byte[ctx.length];

        new XtsCipher(hex(K4_1), hex(K4_2)).decrypt(ctx, 0, out, 0, 512, 3, 0xfd, 1);

        assertThat(hex(out)).isEqualTo(P7 + C7 + C8);
    }

    @Test
    void shouldGiveSameResultWhenUnitsAreProcessedOneByOneOrTogether() {
        final XtsCipher xts = new XtsCipher(hex(K4_1), hex(K4_2));
        final byte[] ptx = TestMachines.pattern(64 * 8, 3);
        final byte[] together = new byte[ptx.length];
        final byte[] oneByOne = new byte[ptx.length];

        xts.encrypt(ptx, 0, together, 0, 64, 8, 0x1000, 64);
        for (int u = 0; u < 8; u++) {
            xts.encrypt(ptx, u * 64, oneByOne, u * 64, 64, 1, 0x1000 + u * 64L, 0);
        }

        assertThat(oneByOne).isEqualTo(together);
    }

    @Test
    void shouldStayCorrectWhenScratchBuffersAreReusedAcrossSizes() {
        final XtsCipher xts = new XtsCipher(hex(K4_1), hex(K4_2));
        final byte[] big = new byte[512];
        final byte[] small = new byte[32];

        xts.encrypt(hex(P4), 0, big, 0, 512, 1, 0, 0);
        xts.encrypt(new byte[32], 0, small, 0, 32, 1, 0, 0);
        final byte[] again = new byte[512];
        xts.encrypt(hex(C4), 0, again, 0, 512, 1, 1, 0);

        assertThat(hex(big)).isEqualTo(C4);
        assertThat(hex(again)).isEqualTo(C5);
    }

    @Test
    void shouldEncryptInPlaceWhenSourceAndDestinationAreTheSameArray() {
        final byte[] buf = hex(P4);

        new XtsCipher(hex(K4_1), hex(K4_2)).encrypt(buf, 0, buf, 0, 512, 1, 0, 0);

        assertThat(hex(buf)).isEqualTo(C4);
    }

    @Test
    void shouldHonourOffsetsWhenSourceAndDestinationAreSlices() {
        final byte[] src = new byte[7 + 32];
        final byte[] dst = new byte[5 + 32 + 5];
        Arrays.fill(dst, (byte) 0x5a);

        new XtsCipher(new byte[16], new byte[16]).encrypt(src, 7, dst, 5, 32, 1, 0, 0);

        assertThat(hex(Arrays.copyOfRange(dst, 5, 37)))
                .isEqualTo("917cf69ebd68b2ec9b9fe9a3eadda692cd43d2f59598ed858c02c2652fbf922e");
        assertThat(dst[4]).isEqualTo((byte) 0x5a);
        assertThat(dst[37]).isEqualTo((byte) 0x5a);
    }

    @Test
    void shouldRejectDataUnitWhenNotAPositiveMultipleOf16() {
        final XtsCipher xts = new XtsCipher(new byte[16], new byte[16]);

        assertThatThrownBy(() -> xts.encrypt(new byte[17], 0, new byte[17], 0, 17, 1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("17");
        assertThatThrownBy(() -> xts.decrypt(new byte[0], 0, new byte[0], 0, 0, 1, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldMatchBlockByBlockReferenceWhenLengthsOffsetsAndTweaksAreRandom() throws GeneralSecurityException {
        final SplittableRandom rnd = new SplittableRandom(1619);
        final byte[] key1 = new byte[16];
        final byte[] key2 = new byte[16];
        rnd.nextBytes(key1);
        rnd.nextBytes(key2);
        final XtsCipher xts = new XtsCipher(key1, key2);
        for (int round = 0; round < 300; round++) {
            // Mostly 64-byte lines (both the few-lines and the bulk path), sometimes other unit sizes.
            final int unitLen = round % 4 == 0 ? 16 * (1 + rnd.nextInt(32)) : 64;
            final int units = 1 + rnd.nextInt(round % 3 == 0 ? 80 : 10);
            final int len = unitLen * units;
            final long tweak = rnd.nextLong();
            final long step = round % 2 == 0 ? unitLen : rnd.nextLong();
            final int srcOff = rnd.nextInt(100);
            final int dstOff = rnd.nextInt(100);
            final byte[] src = new byte[srcOff + len + rnd.nextInt(20)];
            rnd.nextBytes(src);
            final byte[] dst = new byte[dstOff + len + 7];
            rnd.nextBytes(dst);
            final byte[] untouched = dst.clone();
            final boolean decrypt = rnd.nextBoolean();

            if (decrypt) {
                xts.decrypt(src, srcOff, dst, dstOff, unitLen, units, tweak, step);
            } else {
                xts.encrypt(src, srcOff, dst, dstOff, unitLen, units, tweak, step);
            }

            final byte[] want = referenceXts(key1, key2, !decrypt, Arrays.copyOfRange(src, srcOff, srcOff + len),
                    unitLen, tweak, step);
            assertThat(Arrays.copyOfRange(dst, dstOff, dstOff + len)).as("round %d", round).isEqualTo(want);
            assertThat(Arrays.copyOfRange(dst, 0, dstOff)).isEqualTo(Arrays.copyOfRange(untouched, 0, dstOff));
            assertThat(Arrays.copyOfRange(dst, dstOff + len, dst.length))
                    .isEqualTo(Arrays.copyOfRange(untouched, dstOff + len, dst.length));
        }
    }

    @Test
    void shouldMatchReferenceWhenEncryptingInPlaceAtAnOffset() throws GeneralSecurityException {
        final byte[] key1 = hex(K4_1);
        final byte[] key2 = hex(K4_2);
        final XtsCipher xts = new XtsCipher(key1, key2);
        for (final int units : new int[] {1, 8, 9, 64}) {
            final byte[] buf = TestMachines.pattern(13 + 64 * units, units);
            final byte[] want = referenceXts(key1, key2, true, Arrays.copyOfRange(buf, 13, buf.length), 64,
                    0x4000_0000L, 64);

            xts.encrypt(buf, 13, buf, 13, 64, units, 0x4000_0000L, 64);

            assertThat(Arrays.copyOfRange(buf, 13, buf.length)).isEqualTo(want);
        }
    }

    /**
     * XTS as IEEE 1619 writes it, one block at a time: T = E_k2(tweak), then per block C = E_k1(P ^ T) ^ T
     * and T = T * alpha on the little-endian bytes (carry from byte to byte, 0x87 back into byte 0).
     */
    private static byte[] referenceXts(final byte[] key1, final byte[] key2, final boolean encrypt,
            final byte[] in, final int unitLen, final long firstTweak, final long step)
            throws GeneralSecurityException {
        final Cipher data = Cipher.getInstance("AES/ECB/NoPadding");
        data.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, new SecretKeySpec(key1, "AES"));
        final Cipher tweakCipher = Cipher.getInstance("AES/ECB/NoPadding");
        tweakCipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key2, "AES"));
        final byte[] out = new byte[in.length];
        for (int u = 0; u * unitLen < in.length; u++) {
            final byte[] t = new byte[16];
            final long value = firstTweak + u * step;
            for (int b = 0; b < 8; b++) {
                t[b] = (byte) (value >>> (8 * b));
            }
            byte[] tweak = tweakCipher.doFinal(t);
            for (int off = u * unitLen; off < (u + 1) * unitLen; off += 16) {
                final byte[] block = new byte[16];
                for (int b = 0; b < 16; b++) {
                    block[b] = (byte) (in[off + b] ^ tweak[b]);
                }
                final byte[] done = data.doFinal(block);
                for (int b = 0; b < 16; b++) {
                    out[off + b] = (byte) (done[b] ^ tweak[b]);
                }
                tweak = timesAlpha(tweak);
            }
        }
        return out;
    }

    private static byte[] timesAlpha(final byte[] t) {
        final byte[] r = new byte[16];
        int carry = 0;
        for (int b = 0; b < 16; b++) {
            r[b] = (byte) ((t[b] << 1) | carry);
            carry = (t[b] >>> 7) & 1;
        }
        if (carry != 0) {
            r[0] ^= (byte) 0x87;
        }
        return r;
    }

    private static String sequence256() {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            sb.append(String.format("%02x", i));
        }
        return sb.toString();
    }
}
